import type { ValueTransformer } from 'typeorm';

/** pg returns `numeric` as a string; these values (fractions, averages) fit a number. */
export const numeric: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
