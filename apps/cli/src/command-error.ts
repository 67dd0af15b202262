/** A failure of a cli command that says in its message what is wrong and what to do (shown as one line, no stack). */
export class CommandError extends Error {}
