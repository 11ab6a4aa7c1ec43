// Time-bounded fuzzing of every generated decoder (`npx nx run kafka-messages:fuzz`, FUZZ_SECONDS
// to change the 20 s budget, FUZZ_SEED to replay). Inputs are mutations of valid encodings of
// schema-derived values plus random noise; a decoder may only succeed (and then survive a
// re-encode) or throw ProtocolDecodeError. Each frame is decoded synchronously, so a hang would
// stop the loop and fail the run at Jest's timeout.
import fc from 'fast-check';
import { messageArbitrary } from '../testing/arbitraries';
import { allCodecs, allVersions } from '../testing/codecs';
import { checkAccepted, decodeOutcome, mutate, prng } from '../testing/robustness';

const seconds = Number(process.env['FUZZ_SECONDS'] ?? 20);
const seed = Number(process.env['FUZZ_SEED'] ?? Date.now() % 0x7fffffff);

it(`fuzzes every decoder for ${seconds}s (seed ${seed})`, () => {
  const random = prng(seed);
  const targets = allVersions(allCodecs()).map(([codec, version]) => ({
    codec,
    version,
    seeds: fc.sample(messageArbitrary(codec.schema, version), { numRuns: 4, seed }).map((m) => codec.encode(m, version)),
  }));
  const deadline = Date.now() + seconds * 1000;
  let frames = 0;
  let accepted = 0;
  while (Date.now() < deadline) {
    for (let i = 0; i < 200; i++) {
      const target = targets[Math.floor(random() * targets.length)];
      if (target === undefined) continue;
      const base = target.seeds[Math.floor(random() * target.seeds.length)] ?? Buffer.alloc(0);
      const r = random();
      let frame: Buffer;
      if (r < 0.7) frame = mutate(base, random);
      else if (r < 0.85) frame = base.subarray(0, Math.floor(random() * base.length));
      else {
        frame = Buffer.alloc(Math.floor(random() * 96));
        for (let j = 0; j < frame.length; j++) frame[j] = Math.floor(random() * 256);
      }
      const outcome = decodeOutcome(target.codec, frame, target.version);
      checkAccepted(target.codec, outcome, target.version);
      frames++;
      if (outcome.ok) accepted++;
    }
  }
  console.log(`fuzz: ${frames} frames over ${targets.length} message versions, ${accepted} accepted, seed ${seed}`);
  expect(frames).toBeGreaterThan(0);
});
