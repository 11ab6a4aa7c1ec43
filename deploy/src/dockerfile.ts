// A small static checker for deploy/docker/*.Dockerfile (no Docker engine or hadolint here):
// parses instructions (joining continuation lines) and checks the image rules of issue 10.

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const instructions: Instruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') startLine = index + 1;
    if (line.startsWith('#')) return; // comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      return;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const space = full.search(/\s/);
    instructions.push({
      keyword: (space === -1 ? full : full.slice(0, space)).toUpperCase(),
      args: space === -1 ? '' : full.slice(space + 1).trim(),
      line: startLine,
    });
  });
  const args = new Map<string, string>();
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === 'ARG') {
      const [key = '', value = ''] = instruction.args.split('=', 2);
      args.set(key, value);
    } else {
      stages[stages.length - 1]?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

/** Resolves `${NAME}` / `$NAME` from the global ARGs. */
function expand(value: string, args: Map<string, string>): string {
  return value.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, name: string) => args.get(name) ?? '');
}

/** Node release lines with long-term support are the even majors. */
function isNodeLts(image: string): boolean {
  const match = /^(?:docker\.io\/(?:library\/)?)?node:(\d+)(?:[.-][^@]*)?(?:@sha256:[0-9a-f]{64})?$/.exec(image);
  if (!match) return false;
  const major = Number(match[1]);
  return major >= 22 && major % 2 === 0;
}

export function checkDockerfile(text: string, app: string): string[] {
  const { args, stages } = parseDockerfile(text);
  const violations: string[] = [];
  if (stages.length < 2) violations.push('not a multi-stage build');
  const final = stages[stages.length - 1];
  if (!final) return [...violations, 'no FROM'];
  for (const stage of stages) {
    const image = expand(stage.from, args);
    const known = stages.some((s) => s.name === stage.from);
    if (!known && !isNodeLts(image)) {
      violations.push(`base image ${image || stage.from} is not a pinned Node LTS image (node:<even major>...)`);
    }
  }
  const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args));
  if (!runs.some((r) => /npm ci\b.*--omit=dev/.test(r))) violations.push('no `npm ci --omit=dev` stage');
  const user = [...final.instructions].reverse().find((i) => i.keyword === 'USER');
  if (!user) violations.push('final stage has no USER');
  else if (/^(root|0)(:|$)/.test(user.args)) violations.push(`final stage runs as ${user.args}`);
  if (!final.instructions.some((i) => i.keyword === 'HEALTHCHECK' && !/^NONE\b/i.test(i.args))) {
    violations.push('final stage has no HEALTHCHECK');
  }
  const copies = final.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
  if (!copies.some((c) => c.includes(`dist/apps/${app}/`))) {
    violations.push(`final stage does not copy the dist/apps/${app}/ bundle`);
  }
  if (!copies.some((c) => /--from=\S+\s+\S*node_modules/.test(c))) {
    violations.push('final stage does not copy node_modules from a production-dependency stage');
  }
  if (final.instructions.some((i) => i.keyword === 'RUN' && /npm (ci|install|i)\b/.test(i.args))) {
    violations.push('final stage installs packages itself (dev tooling would leak into the image)');
  }
  if (!final.instructions.some((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD')) {
    violations.push('final stage has no ENTRYPOINT or CMD');
  }
  return violations;
}
