// serverless-esbuild plugins (serverless.yml custom.esbuild.plugins): before the console function is
// bundled, build the console (console/build.js → .console/assets.json), which lib/wiring/console.ts
// imports. So `sls package` always ships the console of the commit being packaged, and no other function's
// build runs it or carries it.
const { buildConsole } = require('../console/build');

const consoleAssets = {
  name: 'console-assets',
  setup(build) {
    const entries = JSON.stringify(build.initialOptions.entryPoints ?? []);
    if (!/functions[\\/]console\.ts/.test(entries)) return;
    build.onStart(async () => {
      await buildConsole();
    });
  },
};

module.exports = [consoleAssets];
