/**
 * The instructor's roster: a CSV checked whole, every problem with its line; or N trainees with generated passwords,
 * written back as a CSV the roster reader takes.
 */
import { describe, expect, it } from 'vitest';
import { generatedRoster, parseRoster, rosterCsv } from '../../src/classroom/roster.ts';

function problems(text: string): string[] {
  try {
    parseRoster(text);
  } catch (err) {
    return (err as Error).message.split('\n');
  }
  throw new Error('the roster was accepted');
}

describe('A roster CSV', () => {
  it('gives one trainee per line, columns in any order, quoted names with commas, blank and # lines skipped', () => {
    const roster = parseRoster('login,name,password\nann.lee,"Lee, Ann",s3cret-1\n\n# late joiner\nbob,Bob Smith,hunter22\n');
    expect(roster).toEqual([
      { name: 'Lee, Ann', login: 'ann.lee', password: 's3cret-1' },
      { name: 'Bob Smith', login: 'bob', password: 'hunter22' },
    ]);
  });

  it('lists every problem at once with its line', () => {
    expect(problems('name,login,password\nAnn Lee,Ann Lee,abcdef\nBob,bob,abc\nCarl,bob2,abcdef\nDora,bob2,abcdefg\nEve,instructor,abcdefgh\nFay,"fay,abcdef\nGus,gus\n')).toEqual([
      'roster.csv:2: login "Ann Lee" may have only lower-case letters, digits, ".", "_" and "-", at most 32, starting with a letter or digit (e.g. ann.lee)',
      'roster.csv:3: the password of "bob" is too short: at least 6 characters',
      'roster.csv:5: login "bob2" is already used on line 4',
      'roster.csv:6: login "instructor" is the instructor\'s: give the trainee another',
      'roster.csv:7: a quote is opened and not closed',
      'roster.csv:8: 2 fields, the header has 3 (name,login,password; quote a name that holds a comma)',
    ]);
  });

  it('refuses a header without the three columns, and a roster without trainees', () => {
    expect(problems('name,user,password\nAnn,ann,abcdef\n')).toEqual([
      'roster.csv:1: the header lacks login and has unknown column "user": it must name the columns name,login,password (any order)',
    ]);
    expect(problems('')).toEqual(['roster.csv:1: the roster is empty: write a header line "name,login,password", then one line per trainee']);
    expect(problems('name,login,password\n')).toEqual(['roster.csv:2: no trainees: one line per trainee after the header (name,login,password)']);
  });
});

describe('A generated roster', () => {
  it('names trainee01… with readable passwords, and its CSV reads back as the same roster', () => {
    const roster = generatedRoster(3);
    expect(roster.map((t) => t.login)).toEqual(['trainee01', 'trainee02', 'trainee03']);
    for (const t of roster) expect(t.password).toMatch(/^[a-zA-Z2-9]{10}$/);
    expect(new Set(roster.map((t) => t.password)).size).toBe(3);
    expect(parseRoster(rosterCsv(roster))).toEqual(roster);
  });

  it('takes 1 to 60 trainees', () => {
    expect(() => generatedRoster(0)).toThrow('--trainees must be a whole number from 1 to 60');
    expect(() => generatedRoster(61)).toThrow('--trainees must be a whole number from 1 to 60');
  });
});
