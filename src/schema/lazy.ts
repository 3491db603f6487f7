/**
 * Schemas built on first use, not at module load (docs/startup.md). Building a zod schema costs
 * tens of microseconds per field, and a query on shipped presets parses none of the preset or
 * profile formats (they are validated at build time) and needs the parameters of only the
 * variants it costs, so the modules that define those schemas export builders instead of
 * schemas: `modelPresetSchema().parse(data)`. Types still come from the schemas:
 * `z.infer<ReturnType<typeof modelPresetSchema>>`.
 */
import {z} from 'zod';

/** A function that calls `build` the first time it is called and returns that same value ever after. */
export function once<T>(build: () => T): () => T {
  let built: {value: T} | undefined;
  return () => {
    built ??= {value: build()};
    return built.value;
  };
}

/**
 * `z.lazy(build)` for an object schema that is one option of a union, as the scenario's inline
 * model and hardware are: a string parses without building it. Plain `z.lazy` would be built on
 * the first parse of the object that holds the union anyway, because zod asks every field whether
 * it accepts and produces `undefined` (`_zod.optin`, `_zod.optout`: which keys are optional), and
 * a union asks each option. An object schema does neither, so the answer is given here and
 * `build` runs only when a value reaches this option (or a JSON Schema is made of it).
 */
export function lazyObject<T extends z.ZodObject>(build: () => T): z.ZodLazy<T> {
  const schema = z.lazy(build);
  Object.defineProperties(schema._zod, {optin: {value: undefined}, optout: {value: undefined}});
  return schema;
}
