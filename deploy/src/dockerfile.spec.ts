import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDockerfile, parseDockerfile } from './dockerfile';

const DOCKER_DIR = join(__dirname, '..', 'docker');
const APPS = ['router', 'broker', 'metadata', 'replication', 'tiered-storage'];

describe.each(APPS)('deploy/docker/%s.Dockerfile', (app) => {
  const text = readFileSync(join(DOCKER_DIR, `${app}.Dockerfile`), 'utf8');

  it('follows the image rules (multi-stage, prod deps, non-root, Node LTS, HEALTHCHECK)', () => {
    expect(checkDockerfile(text, app)).toEqual([]);
  });

  it('builds this app and runs it through the entrypoint', () => {
    const { stages } = parseDockerfile(text);
    const build = stages.find((s) => s.name === 'build');
    expect(build?.instructions.some((i) => i.keyword === 'RUN' && i.args.includes(`nx build ${app}`))).toBe(true);
    const final = stages[stages.length - 1];
    expect(final?.instructions.find((i) => i.keyword === 'ENTRYPOINT')?.args).toBe(
      '["node", "/app/entrypoint.mjs"]',
    );
  });
});

describe('checkDockerfile', () => {
  const good = readFileSync(join(DOCKER_DIR, 'broker.Dockerfile'), 'utf8');

  it('reports a single-stage root image on a non-LTS base without a health check', () => {
    const bad = [
      'FROM node:23-slim',
      'WORKDIR /app',
      'COPY dist/apps/broker/ ./',
      'RUN npm install',
      'CMD ["node", "main.js"]',
    ].join('\n');
    expect(checkDockerfile(bad, 'broker')).toEqual([
      'not a multi-stage build',
      'base image node:23-slim is not a pinned Node LTS image (node:<even major>...)',
      'no `npm ci --omit=dev` stage',
      'final stage has no USER',
      'final stage has no HEALTHCHECK',
      'final stage does not copy node_modules from a production-dependency stage',
      'final stage installs packages itself (dev tooling would leak into the image)',
    ]);
  });

  it('reports USER root and an unpinned latest base', () => {
    const bad = good.replace('USER 10001:10001', 'USER root').replace('ARG NODE_IMAGE=node:24-bookworm-slim', 'ARG NODE_IMAGE=node:latest');
    const violations = checkDockerfile(bad, 'broker');
    expect(violations).toContain('final stage runs as root');
    expect(violations.some((v) => v.startsWith('base image node:latest'))).toBe(true);
  });

  it('joins continuation lines and skips comments inside them', () => {
    const { stages } = parseDockerfile('FROM node:24 AS a\nRUN echo 1 \\\n  # note\n  && echo 2\n');
    expect(stages[0]?.instructions).toEqual([{ keyword: 'RUN', args: 'echo 1 && echo 2', line: 2 }]);
  });
});
