// Builds the geoportal into dist/: bundles the pages with esbuild
// (OpenLayers from node_modules), gives assets content-hashed names and
// writes the HTML pages pointing at them. Run by `make portal`.
//
// So that nothing waits for something else before it is asked for, each
// page's <head> names every script chunk it imports (modulepreload) and
// config.json (preload; on the pages with a map the head script decides),
// asks for the strings of the page's language and the start view's tiles
// (src/head.js, inlined, with the data the deployment writes next to it),
// and carries its stylesheet inline (a linked one would
// hold back the scripts of the body until it arrived); the end of its <body>
// carries the boot script (src/boot.js, inlined) that adds the tiles of the
// map as laid out.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const pages = {
  landing: 'index.html',
  viewer: 'map.html',
  embed: 'embed.html',
  statement: 'accessibility.html',
  opendata: 'opendata.html',
};

// The pages that open a map (their head script asks for the start view's tiles).
const MAP_PAGES = new Set(['viewer', 'embed']);

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });

// Each page is bundled on its own: a page's startup code is then one
// script (plus what it shares with its own lazily loaded parts), not a
// dozen chunks shared with the other pages. Over HTTP/1.1 a browser opens
// six connections to a host, and every request beyond them waits a round
// trip behind the others (the start view's tiles among them).
// OpenLayers' map renderer imports the vector layer class for one instanceof
// check; src/vendor/composite-vector-check.js answers it without the vector code.
const compositeVectorCheck = {
  name: 'composite-vector-check',
  setup(esbuild) {
    esbuild.onResolve({ filter: /\/layer\/BaseVector\.js$/ }, (args) =>
      /[\\/]ol[\\/]renderer[\\/]Composite\.js$/.test(args.importer)
        ? { path: join(root, 'src/vendor/composite-vector-check.js') }
        : undefined,
    );
  },
};

const results = [];
for (const name of Object.keys(pages)) {
  results.push(
    await build({
      absWorkingDir: root,
      entryPoints: { [name]: `src/pages/${name}.js` },
      bundle: true,
      format: 'esm',
      splitting: true,
      outdir: 'dist/assets',
      entryNames: '[name]-[hash]',
      chunkNames: 'chunk-[hash]',
      assetNames: '[name]-[hash]',
      minify: true,
      sourcemap: true,
      metafile: true,
      target: 'es2021',
      legalComments: 'linked',
      logLevel: 'warning',
      plugins: [compositeVectorCheck],
    }),
  );
}
const outputsMeta = Object.assign({}, ...results.map((r) => r.metafile.outputs));

// A small script inlined into every page (no request of its own).
async function inlineScript(entry) {
  const out = await build({ absWorkingDir: root, entryPoints: [entry], bundle: true, format: 'iife', minify: true, write: false, target: 'es2021', logLevel: 'warning' });
  const code = out.outputFiles[0].text.trim();
  if (code.includes('</script')) throw new Error(`${entry} must not contain </script`);
  return code;
}
const headCode = await inlineScript('src/head.js');
const bootCode = await inlineScript('src/boot.js');

const url = (file) => '/' + relative(dist, join(root, file));
const logoDataUrl = `data:image/svg+xml,${encodeURIComponent(readFileSync(join(root, 'public', 'favicon.svg'), 'utf8').trim())}`;

// Every chunk an output imports statically, recursively (what the browser
// would otherwise find only after downloading and parsing its importer).
function staticImports(file, seen = new Set()) {
  for (const entry of outputsMeta[file].imports) {
    if (entry.kind !== 'import-statement' || entry.external || seen.has(entry.path)) continue;
    seen.add(entry.path);
    staticImports(entry.path, seen);
  }
  return seen;
}

// Entry name -> the hashed script, its chunks and the stylesheet esbuild wrote for it.
const outputs = {};
for (const [file, info] of Object.entries(outputsMeta)) {
  if (!info.entryPoint) continue;
  const name = basename(info.entryPoint, '.js');
  outputs[name] = {
    js: url(file),
    chunks: [...staticImports(file)].map(url),
    css: info.cssBundle ? url(info.cssBundle) : null,
  };
}

for (const [name, page] of Object.entries(pages)) {
  const out = outputs[name];
  if (!out) throw new Error(`esbuild wrote no bundle for ${name}`);
  const css = out.css ? readFileSync(join(dist, out.css), 'utf8').replace(/\/\*# sourceMappingURL=.*?\*\//, '').trim() : '';
  if (css.includes('</style')) throw new Error(`${out.css} must not contain </style`);
  const head = [
    // The map's start view is drawn before config.json is read (src/lib/map.js):
    // on the pages that open a map, the head script decides (src/head.js).
    MAP_PAGES.has(name) ? '' : '<link rel="preload" href="/config.json" as="fetch" crossorigin>',
    '<script id="zgis-boot" type="application/json">null</script>',
    `<script>${headCode}</script>`,
    `<script type="module" src="${out.js}"></script>`,
    ...out.chunks.map((chunk) => `<link rel="modulepreload" href="${chunk}">`),
    css ? `<style>${css}</style>` : '',
  ].filter(Boolean);
  const tail = [`<script>${bootCode}</script>`];
  let html = readFileSync(join(root, 'src', page), 'utf8');
  if (!html.includes('%HEAD%') || !html.includes('%BOOT%')) throw new Error(`${page} lacks %HEAD% or %BOOT%`);
  html = html.replace('%HEAD%', () => head.join('\n  ')).replace('%BOOT%', () => tail.join('\n  '));
  // The header's logo is the favicon, written into the page: over HTTP/1.1 its
  // own request would hold one of the six connections the start view's tiles need.
  html = html.replaceAll('<img src="/favicon.svg"', () => `<img src="${logoDataUrl}"`);
  writeFileSync(join(dist, page), html);
}
cpSync(join(root, 'public'), dist, { recursive: true });

// Compressed copies made once, at the highest levels, which nginx sends as
// they are (brotli_static, gzip_static) instead of compressing each answer at
// its own fast level: the startup scripts and strings are a quarter smaller
// in brotli than in nginx's gzip, a quarter of what a phone on a slow
// network waits for before it can draw the map. The pages are left out: the
// deployment writes the start view's data into them and compresses them then
// (zhytomyr_gis/portal/compress.py).
const COMPRESSIBLE = new Set(['.js', '.css', '.json', '.svg']);
function compressTree(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      compressTree(path);
    } else if (COMPRESSIBLE.has(extname(entry.name))) {
      const data = readFileSync(path);
      writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
      writeFileSync(`${path}.br`, brotliCompressSync(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length } }));
    }
  }
}
compressTree(dist);
console.log(`portal: built ${Object.keys(pages).length} pages into ${relative(process.cwd(), dist) || 'dist'}: ${readdirSync(dist).join(', ')}`);
