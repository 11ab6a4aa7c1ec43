// The STRATUS_CELLS setting: which cells (groups of nodes over availability zones) exist. Tenants
// are placed on a cell, so without at least one defined cell CreateTenant cannot succeed.
import { z } from 'zod';

export interface CellDefinition {
  readonly id: string;
  readonly azs: readonly string[];
}

// Same rule as the metadata store applies to cell ids, checked here so a typo stops start-up
// with a config error instead of a failed write later.
const CELL_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const AZ = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const ERROR = 'expected cells as "cell-1:az-1,az-2,az-3;cell-2:az-4,az-5,az-6" (or a YAML list of {id, azs}) with distinct ids and distinct AZs per cell';

/** `cell-1:az-1,az-2,az-3;cell-2:az-4` → [{ id, azs }]; anything else is returned unchanged for zod to reject. */
function parseCellsText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const parts = value
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  return parts.map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) return part;
    return {
      id: part.slice(0, colon).trim(),
      azs: part
        .slice(colon + 1)
        .split(',')
        .map((az) => az.trim())
        .filter((az) => az.length > 0),
    };
  });
}

const cell = z.object(
  {
    id: z.string({ error: ERROR }).trim().regex(CELL_ID, { error: ERROR }),
    azs: z.array(z.string({ error: ERROR }).trim().regex(AZ, { error: ERROR }), { error: ERROR }).min(1, { error: ERROR }),
  },
  { error: ERROR },
);

/** A non-empty list of distinct cells, each with distinct AZs. */
export function cellsField() {
  return z.preprocess(
    parseCellsText,
    z
      .array(cell, { error: ERROR })
      .min(1, { error: ERROR })
      .refine((cells) => new Set(cells.map((c) => c.id)).size === cells.length, { error: ERROR })
      .refine((cells) => cells.every((c) => new Set(c.azs).size === c.azs.length), { error: ERROR }),
  );
}

/** One cell matching the base config defaults (`cell-1` with `az-1`), spanning three AZs. */
export const DEFAULT_CELLS: readonly CellDefinition[] = [{ id: 'cell-1', azs: ['az-1', 'az-2', 'az-3'] }];
