// The options are the ones the code was already written in, so that formatting the tree changes as
// few lines as it can: single quotes, semicolons, trailing commas, and long lines. Of the widths
// measured (120 to 250), 180 changed far fewer lines than 120-160, and wider ones only a few per
// cent fewer still.
/** @type {import('prettier').Config} */
export default {
  singleQuote: true,
  printWidth: 180,
  // The compose file quotes its commands with double quotes, as most YAML does.
  overrides: [{ files: '*.yaml', options: { singleQuote: false } }],
};
