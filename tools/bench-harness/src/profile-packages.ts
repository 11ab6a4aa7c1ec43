// Groups CPU-profile frames by who owns the code: a node_modules package, one of our libraries
// (@stratus/<name>, found through the bundle's source map and tsconfig.base.json's path roots),
// the Node.js runtime, or V8's pseudo-frames ((idle), (garbage collector), (program)).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface FrameLocation {
  readonly functionName: string;
  readonly url: string;
  /** 0-based, as in a .cpuprofile callFrame. */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

/** The source file (and 0-based line) a bundled position came from, or undefined when unknown. */
export type OriginalSource = (url: string, line: number, column: number) => { readonly source: string; readonly line: number } | undefined;

/** Library roots (e.g. "libs/kafka/protocol") → import names ("@stratus/kafka-protocol"), longest root first. */
export type LibraryRoots = readonly (readonly [root: string, name: string])[];

export function libraryRoots(tsconfigPaths: Readonly<Record<string, readonly string[]>>): LibraryRoots {
  const roots: [string, string][] = [];
  for (const [name, targets] of Object.entries(tsconfigPaths)) {
    const target = targets[0];
    if (!target) continue;
    const root = target.replace(/\/src\/index\.ts$/, '').replace(/\/index\.ts$/, '');
    roots.push([root, name]);
  }
  return roots.sort((a, b) => b[0].length - a[0].length);
}

const PSEUDO = new Set(['(idle)', '(garbage collector)', '(program)', '(root)']);

/** "node_modules/@grpc/grpc-js/build/src/x.js" → "@grpc/grpc-js"; uses the innermost node_modules. */
export function nodeModulesPackage(path: string): string | undefined {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  if (parts[0]?.startsWith('@')) return parts.length > 1 ? `${parts[0]}/${parts[1]}` : parts[0];
  return parts[0];
}

/** A source path (absolute, webpack://, relative) → "@stratus/<lib>", "app:<name>", a package, or the path. */
export function ownerOfSource(source: string, roots: LibraryRoots): string {
  const pkg = nodeModulesPackage(source);
  if (pkg) return pkg;
  const path = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^file:\/\//, '');
  for (const [root, name] of roots) {
    const at = path.indexOf(`${root}/`);
    if (at === 0 || (at > 0 && path[at - 1] === '/')) return name;
  }
  const app = /(?:^|\/)apps\/([^/]+)\//.exec(path);
  if (app) return `app:${app[1]}`;
  return path;
}

export function ownerOfFrame(frame: FrameLocation, options: { roots: LibraryRoots; originalSource?: OriginalSource }): string {
  if (!frame.url) return PSEUDO.has(frame.functionName) ? frame.functionName : '(native/V8 builtins)';
  if (frame.url.startsWith('node:')) return 'node (runtime)';
  const pkg = nodeModulesPackage(frame.url);
  if (pkg) return pkg;
  const bundle = /dist\/apps\/([^/]+)\/main\.js$/.exec(frame.url);
  if (bundle) {
    const source = options.originalSource?.(frame.url, frame.lineNumber, frame.columnNumber)?.source;
    return source ? ownerOfSource(source, options.roots) : `dist/apps/${bundle[1]}/main.js (no source map)`;
  }
  return ownerOfSource(frame.url, options.roots);
}

/**
 * Looks bundled positions up with Node's own source-map reader, in `preferredMap` when it exists
 * (the copy the profile hook made of the profiled build's map), else in <bundle>.map, which is only
 * right when the app was not rebuilt since the profiled process started.
 */
export function sourceMapResolver(options: { preferredMap?: string } = {}): OriginalSource {
  const maps = new Map<string, SourceMap | undefined>();
  return (url, line, column) => {
    if (!maps.has(url)) {
      const path = url.startsWith('file://') ? fileURLToPath(url) : url;
      // cpu-profile-hook.cjs copies the map of the build it profiled next to the profile.
      const mapPath = options.preferredMap && existsSync(options.preferredMap) ? options.preferredMap : `${path}.map`;
      maps.set(url, existsSync(mapPath) ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : undefined);
    }
    const entry = maps.get(url)?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
    return entry?.originalSource ? { source: entry.originalSource, line: entry.originalLine ?? -1 } : undefined;
  };
}

/** Library roots of the workspace this file lives in (tsconfig.base.json "paths"). */
export function workspaceLibraryRoots(): LibraryRoots {
  const tsconfig = resolve(join(dirname(__filename), '..', '..', '..', 'tsconfig.base.json'));
  if (!existsSync(tsconfig)) return [];
  const parsed = JSON.parse(readFileSync(tsconfig, 'utf8')) as { compilerOptions?: { paths?: Record<string, string[]> } };
  return libraryRoots(parsed.compilerOptions?.paths ?? {});
}
