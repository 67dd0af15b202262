// Tests read JSON bodies of many shapes; Node's types say unknown, tests assert the shape instead.
declare global {
  interface Response {
    json(): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
}
export {};
