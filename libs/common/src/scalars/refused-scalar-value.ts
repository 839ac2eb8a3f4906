/**
 * What a typed scalar answers for a value it refuses, instead of throwing: graphql-js would report
 * a throw on its own, before any argument rule runs. The input validation pipe finds these in the
 * arguments and reports them with every other problem of the request, naming the field
 * (`input.offerings.1.currency: currency must be an ISO 4217 currency code such as EUR`). No
 * resolver receives one: the pipe runs on every argument.
 */
export class RefusedScalarValue {
  constructor(
    readonly scalar: string,
    /** Completes the sentence "<field> …", e.g. `must be a calendar date YYYY-MM-DD`. */
    readonly rule: string,
  ) {}
}
