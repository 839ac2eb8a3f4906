import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, ValidateNested } from 'class-validator';
import { ValidationFailedError } from '../errors/domain-errors';
import { InputRules } from './input-rules';
import { NullClears, NullMeansOmitted } from './null-policy';
import { InputValidationPipe, ValidateEachPipe } from './validation-pipe';

class Window {
  @IsString() start: string;
  @IsString() end: string;
}
InputRules<Window>((w) => (w.end <= w.start ? [{ field: 'end', message: 'end must be after start' }] : []))(Window);

class Profile {
  @IsOptional() @IsString() @MaxLength(5) name?: string;
  @IsOptional() @NullClears() @IsString() bio?: string | null;
  @IsOptional() @NullMeansOmitted() @IsInt() @Max(10) first?: number;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Window) windows?: Window[];
}

const ARGS = 3; // GqlParamtype.ARGS
const pipe = new InputValidationPipe();
const run = (value: unknown) => pipe.transform(value, { type: ARGS as never, metatype: Profile, data: 'input' });
const fieldsOf = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationFailedError);
  return (err as ValidationFailedError).fields.map((f) => f.field).sort();
};

describe('InputValidationPipe', () => {
  it('reports field rules, cross-field rules, nulls and ill-formed text of one input together', async () => {
    const input = { name: 'far too long', bio: 'x\ud800', first: 11, windows: [{ start: '10:00', end: '09:00' }] };
    expect(await fieldsOf(run(input))).toEqual(['input.bio', 'input.first', 'input.name', 'input.windows.0.end']);
    expect(await fieldsOf(run({ name: null }))).toEqual(['input.name']);
  });

  it('keeps a null that clears, drops a null that means omitted', async () => {
    const result = (await run({ bio: null, first: null })) as Profile;
    expect(result).toBeInstanceOf(Profile);
    expect(result.bio).toBeNull();
    expect('first' in result).toBe(false);
  });

  it('does not repeat a rule on a field that already failed its own check', async () => {
    const err = await run({ windows: [{ start: 5, end: '09:00' }] }).catch((e: ValidationFailedError) => e);
    expect((err as ValidationFailedError).fields).toEqual([
      { field: 'input.windows.0.start', message: 'start must be a string' },
    ]);
  });

  it('checks scalar arguments for ill-formed text and turns their null into "not given"', async () => {
    const scalar = (value: unknown) => pipe.transform(value, { type: ARGS as never, metatype: String, data: 'reason' });
    expect(await fieldsOf(scalar('\udc00'))).toEqual(['reason']);
    expect(await scalar(null)).toBeUndefined();
    expect(await scalar('ok 🎹')).toBe('ok 🎹');
  });

  it('validates each item of a list argument and its length', async () => {
    const each = new ValidateEachPipe('windows', Window, 2);
    const windows = [
      { start: '10:00', end: '09:00' },
      { start: '10:00', end: '11:00' },
      { start: 1, end: '11:00' },
    ];
    expect(await fieldsOf(each.transform(windows))).toEqual(['windows', 'windows.0.end', 'windows.2.start']);
    const [ok] = await each.transform([{ start: '10:00', end: '11:00' }]);
    expect(ok).toBeInstanceOf(Window);
  });

  it('checks the same flat arguments once, hands each caller its own copy and reports a failure every time', async () => {
    const fresh = new InputValidationPipe();
    const validate = jest.spyOn(fresh as unknown as { validate: () => unknown }, 'validate');
    const once = (value: unknown) => fresh.transform(value, { type: ARGS as never, metatype: Profile, data: 'input' });
    const first = (await once({ name: 'ok', first: 3 })) as Profile;
    const second = (await once({ name: 'ok', first: 3 })) as Profile;
    expect(validate).toHaveBeenCalledTimes(1);
    expect(second).toBeInstanceOf(Profile);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    first.name = 'changed';
    expect(((await once({ name: 'ok', first: 3 })) as Profile).name).toBe('ok');
    await once({ name: 'ok', first: 4 });
    expect(validate).toHaveBeenCalledTimes(2);
    // Failures are never remembered; nested inputs are checked each time.
    for (let i = 0; i < 2; i++) expect(await fieldsOf(once({ name: 'ok', first: 11 }))).toEqual(['input.first']);
    for (let i = 0; i < 2; i++)
      expect(await fieldsOf(once({ windows: [{ start: '10:00', end: '09:00' }] }))).toEqual(['input.windows.0.end']);
    expect(validate).toHaveBeenCalledTimes(6);
  });
});
