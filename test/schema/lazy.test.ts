import test from 'ava';
import {z} from 'zod';

// Every `.describe()` registers its schema in zod's global registry, so the descriptions added
// there show which schemas were built. Installed before attncap's schema modules load.
const described: string[] = [];
const register = z.globalRegistry.add.bind(z.globalRegistry);
z.globalRegistry.add = ((schema, ...meta) => {
  const description = (meta[0] as {description?: unknown} | undefined)?.description;
  if (typeof description === 'string') described.push(description);
  return register(schema, ...meta);
}) as typeof z.globalRegistry.add;

const {scenarioSchema} = await import('../../src/scenario/schema.js');
const {lazyObject, once} = await import('../../src/schema/lazy.js');

/** Whether a field of the model preset schema (src/schema/presets.ts) has been built. */
const modelBuilt = () => described.some(d => d.startsWith('d: model width (the first stage width'));
/** Whether a field of the hardware preset schema has been built. */
const hardwareBuilt = () => described.some(d => d.startsWith('Physical device memory in bytes.'));

test.serial('a scenario naming preset ids, or none, builds neither preset schema', t => {
  t.false(modelBuilt() || hardwareBuilt(), 'built at load');
  t.true(scenarioSchema.safeParse({model: 'llama-3.1-8b', hardware: ['h100-sxm', 'a100-80gb']}).success);
  t.true(scenarioSchema.safeParse({hardware: 'h100-sxm', seq: '8k', variant: 'flash'}).success);
  t.true(scenarioSchema.safeParse({}).success);
  t.false(modelBuilt() || hardwareBuilt(), 'built by a parse');
});

test.serial('an inline model builds the model preset schema, and only it', t => {
  const model = {
    id: 'tiny',
    name: 'tiny',
    architecture: 'transformer',
    dModel: 64,
    heads: 4,
    layers: 2,
    causal: true,
    sources: [{title: 'a test'}],
  };
  const parsed = scenarioSchema.parse({model, hardware: 'h100-sxm'});
  t.like(parsed.model, {...model, ffn: 'gelu', variant: 'standard'});
  t.true(modelBuilt());
  t.false(hardwareBuilt());
});

test('once builds on the first call and returns that value ever after', t => {
  let builds = 0;
  const built = once(() => ({build: ++builds}));
  t.is(builds, 0);
  const first = built();
  t.is(built(), first);
  t.is(builds, 1);
});

// The shape of the scenario's model and hardware fields: an optional union of an id and an object.
const holder = (object: z.ZodType) =>
  z.strictObject({
    model: z
      .union([z.string().min(1), object])
      .optional()
      .describe('An id, or the object.'),
    seq: z.number().optional(),
  });
const inner = () => z.strictObject({dModel: z.number().int().positive(), causal: z.boolean().default(true)});

test('a lazy object is built only when a value reaches it, once', t => {
  let builds = 0;
  const schema = holder(
    lazyObject(() => {
      builds++;
      return inner();
    }),
  );
  t.true(schema.safeParse({model: 'llama-3.1-8b'}).success);
  t.true(schema.safeParse({seq: 4096}).success);
  t.is(builds, 0);
  t.deepEqual(schema.parse({model: {dModel: 768}}), {model: {dModel: 768, causal: true}});
  t.true(schema.safeParse({model: {dModel: 64}}).success);
  t.is(builds, 1);
});

test('a lazy object parses, fails and converts to JSON Schema as the object itself', t => {
  const eager = holder(inner());
  const lazy = holder(lazyObject(inner));
  for (const input of [
    {model: 'x'},
    {},
    {model: ''},
    {model: 3},
    {model: {dModel: 768}},
    {model: {dModel: -1}},
    {model: {dModel: 768, typo: 1}},
    {model: undefined},
  ]) {
    const [a, b] = [lazy.safeParse(input), eager.safeParse(input)];
    t.deepEqual(a.data, b.data, JSON.stringify(input));
    t.deepEqual(a.error?.issues, b.error?.issues, JSON.stringify(input));
  }
  t.deepEqual(z.toJSONSchema(lazy, {io: 'input'}), z.toJSONSchema(eager, {io: 'input'}));
});
