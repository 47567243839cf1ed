import { describe, expect, it } from 'vitest';
import { parseConfigFile, serializeConfigFile } from '../../../src/devices/base-station/config-file.ts';

describe('base configuration files', () => {
  it('round-trip values with quotes and backslashes, and plain ones untouched', () => {
    const values = { PLAIN: 'http://downloads.polycom.com/', QUOTED: 'say "hi"', BACKSLASH: 'C:\\fw\\', EMPTY: '' };
    const text = serializeConfigFile(values, ['header']);
    expect(text).toBe('# header\n%PLAIN%: "http://downloads.polycom.com/"\n%QUOTED%: "say \\"hi\\""\n%BACKSLASH%: "C:\\\\fw\\\\"\n%EMPTY%: ""\n');
    expect(parseConfigFile(text)).toEqual({ values, errors: [] });
  });

  it('gives every caller its own result for the same text (a remembered parse is never shared)', () => {
    const text = '%PROV_INTERVAL%: 3600\nnot a line\n%FWU_SERVER%: "unterminated\n';
    const first = parseConfigFile(text);
    expect(first).toEqual({
      values: { PROV_INTERVAL: '3600' },
      errors: [
        { line: 2, message: 'expected %KEY%: value, got "not a line"' },
        { line: 3, message: 'unterminated quoted value for %FWU_SERVER%' },
      ],
    });
    first.values['PROV_INTERVAL'] = 'changed';
    first.errors[0]!.line = 99;
    first.errors.pop();
    expect(parseConfigFile(text)).toEqual({
      values: { PROV_INTERVAL: '3600' },
      errors: [
        { line: 2, message: 'expected %KEY%: value, got "not a line"' },
        { line: 3, message: 'unterminated quoted value for %FWU_SERVER%' },
      ],
    });
  });
});
