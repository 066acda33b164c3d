// Builds the geoportal into dist/: bundles the pages with esbuild
// (OpenLayers from node_modules), gives assets content-hashed names and
// writes the HTML pages pointing at them. Run by `make portal`.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const pages = { landing: 'index.html', viewer: 'map.html', embed: 'embed.html', opendata: 'opendata.html' };

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'assets'), { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.keys(pages).map((name) => [name, `src/pages/${name}.js`])),
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
});

// Entry name -> the hashed script and stylesheet esbuild wrote for it.
const outputs = {};
for (const [file, info] of Object.entries(result.metafile.outputs)) {
  if (!info.entryPoint) continue;
  const name = basename(info.entryPoint, '.js');
  outputs[name] = {
    js: '/' + relative(dist, join(root, file)),
    css: info.cssBundle ? '/' + relative(dist, join(root, info.cssBundle)) : null,
  };
}

for (const [name, page] of Object.entries(pages)) {
  const out = outputs[name];
  if (!out) throw new Error(`esbuild wrote no bundle for ${name}`);
  let html = readFileSync(join(root, 'src', page), 'utf8');
  html = html.replace('%SCRIPT%', out.js).replace('%STYLE%', out.css ?? '');
  writeFileSync(join(dist, page), html);
}
cpSync(join(root, 'public'), dist, { recursive: true });
console.log(`portal: built ${Object.keys(pages).length} pages into ${relative(process.cwd(), dist) || 'dist'}: ${readdirSync(dist).join(', ')}`);
