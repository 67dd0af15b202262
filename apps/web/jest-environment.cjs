// The DOM the web app's component tests run in (`@jest-environment ./apps/web/jest-environment.cjs`
// in a spec's docblock): jsdom, with what jsdom lacks and a browser has — structuredClone, which
// IndexedDB (fake-indexeddb in the tests) uses to store records, and a Blob it can clone.
const { TestEnvironment } = require('jest-environment-jsdom');

class WebEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.structuredClone = structuredClone;
    this.global.Blob = Blob;
  }
}

module.exports = WebEnvironment;
