// Array helpers for generated codecs. Counts are bounded by the reader against the remaining
// bytes (each element's minimum encoded size) before the array is allocated.
import type { Reader, Writer } from '@stratus/kafka-protocol';
import { sizeOfUnsignedVarint } from '@stratus/kafka-protocol';

function fill<T>(count: number, read: () => T): T[] {
  const out = new Array<T>(count);
  for (let i = 0; i < count; i++) out[i] = read();
  return out;
}

export function readArray<T>(r: Reader, minElementSize: number, read: () => T): T[] {
  const count = r.readArrayLength(minElementSize);
  if (count < 0) r.fail('invalid_value', 'null in a non-nullable array');
  return fill(count, read);
}

export function readNullableArray<T>(r: Reader, minElementSize: number, read: () => T): T[] | null {
  const count = r.readArrayLength(minElementSize);
  return count < 0 ? null : fill(count, read);
}

export function readCompactArray<T>(r: Reader, minElementSize: number, read: () => T): T[] {
  const count = r.readCompactArrayLength(minElementSize);
  if (count < 0) r.fail('invalid_value', 'null in a non-nullable compact array');
  return fill(count, read);
}

export function readCompactNullableArray<T>(r: Reader, minElementSize: number, read: () => T): T[] | null {
  const count = r.readCompactArrayLength(minElementSize);
  return count < 0 ? null : fill(count, read);
}

/** Element sizes: a constant for fixed-size elements, else a function. */
export type ElementSize<T> = number | ((element: T) => number);

function sumSizes<T>(a: readonly T[], size: ElementSize<T>): number {
  if (typeof size === 'number') return a.length * size;
  let total = 0;
  for (const e of a) total += size(e);
  return total;
}

export function sizeOfArray<T>(a: readonly T[], size: ElementSize<T>): number {
  return 4 + sumSizes(a, size);
}

export function sizeOfNullableArray<T>(a: readonly T[] | null, size: ElementSize<T>): number {
  return a === null ? 4 : sizeOfArray(a, size);
}

export function sizeOfCompactArray<T>(a: readonly T[], size: ElementSize<T>): number {
  return sizeOfUnsignedVarint(a.length + 1) + sumSizes(a, size);
}

export function sizeOfCompactNullableArray<T>(a: readonly T[] | null, size: ElementSize<T>): number {
  return a === null ? 1 : sizeOfCompactArray(a, size);
}

export function writeArray<T>(w: Writer, a: readonly T[], write: (element: T) => void): void {
  w.writeArrayLength(a.length);
  for (const e of a) write(e);
}

export function writeNullableArray<T>(w: Writer, a: readonly T[] | null, write: (element: T) => void): void {
  if (a === null) w.writeArrayLength(null);
  else writeArray(w, a, write);
}

export function writeCompactArray<T>(w: Writer, a: readonly T[], write: (element: T) => void): void {
  w.writeCompactArrayLength(a.length);
  for (const e of a) write(e);
}

export function writeCompactNullableArray<T>(w: Writer, a: readonly T[] | null, write: (element: T) => void): void {
  if (a === null) w.writeCompactArrayLength(null);
  else writeCompactArray(w, a, write);
}
