// The console's one build step (esbuild): console/src → `.console/assets.json` ({version, html, files}),
// which the console function imports (lib/wiring/console.ts) and esbuild inlines into that function's
// bundle only. Plain CommonJS so that osls's esbuild plugin (infra/esbuild-console.js), `npm start`,
// `npm run console:build` and the tests share it. The built file is never committed (.gitignore).
const { build } = require('esbuild');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const OUT_DIR = join(ROOT, '.console');
const OUT_FILE = join(OUT_DIR, 'assets.json');

/** Builds the bundle (minified, one JS and one CSS file) and writes the assets file; returns its contents. */
const buildConsole = async ({ outFile = OUT_FILE, minify = true } = {}) => {
  const result = await build({
    entryPoints: [join(__dirname, 'src', 'main.ts')],
    bundle: true,
    minify,
    format: 'iife',
    target: ['chrome109', 'safari15', 'firefox115'],
    platform: 'browser',
    write: false,
    outdir: join(OUT_DIR, 'out'),
    logLevel: 'silent',
    legalComments: 'none',
  });
  const js = result.outputFiles.find((file) => file.path.endsWith('.js')).text;
  const css = readFileSync(join(__dirname, 'src', 'style.css'), 'utf8');
  const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
  const html = readFileSync(join(__dirname, 'src', 'index.html'), 'utf8').replaceAll('{{version}}', version);
  const assets = {
    version,
    html,
    files: {
      'app.js': { type: 'text/javascript; charset=utf-8', body: js },
      'app.css': { type: 'text/css; charset=utf-8', body: minify ? css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s*\n\s*/g, '') : css },
    },
  };
  mkdirSync(join(outFile, '..'), { recursive: true });
  // Written aside and renamed: a test file or the running stack never reads a half-written file.
  const partial = `${outFile}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(assets));
  renameSync(partial, outFile);
  return assets;
};

module.exports = { buildConsole, OUT_FILE };

if (require.main === module) {
  buildConsole().then((assets) => {
    const { gzipSync } = require('node:zlib');
    const js = assets.files['app.js'].body;
    console.log(`console built: ${OUT_FILE} (app.js ${js.length} B, ${gzipSync(js).length} B gzip; version ${assets.version})`);
  }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
