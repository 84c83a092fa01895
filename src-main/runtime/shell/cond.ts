/**
 * `[[ … ]]`: no word splitting or globbing, `==`/`!=` match a pattern (quoted parts literal),
 * `=~` an extended regex (BASH_REMATCH), `<`/`>` compare strings, `&&`/`||`/`!`/`( )`, and the
 * unary/binary tests of `test`.
 */
import type { Cond } from './ast';
import { expandPattern, expandString, type ExpandContext } from './expand';
import { matchPattern } from './pattern';
import { evalTest, TestSyntaxError } from '../tools/test-expr';
import type { FileSystem } from '../vfs';

type Item = Cond['items'][number];

export class CondError extends Error {}

export async function evalCond(node: Cond, ctx: ExpandContext, fs: FileSystem, cwd: string, setVar: (n: string, v: string) => void): Promise<boolean> {
  const items = node.items;
  let pos = 0;
  const peek = (): Item | undefined => items[pos];
  const isOp = (op: string) => peek()?.op === op;
  const isWord = (w: string) => peek()?.word === w;

  const or = async (): Promise<boolean> => {
    let v = await and();
    while (isOp('||')) {
      pos++;
      const r = await and();
      v = v || r;
    }
    return v;
  };
  const and = async (): Promise<boolean> => {
    let v = await not();
    while (isOp('&&')) {
      pos++;
      const r = await not();
      v = v && r;
    }
    return v;
  };
  const not = async (): Promise<boolean> => {
    if (isWord('!')) {
      pos++;
      return !(await not());
    }
    return primary();
  };
  const word = async (raw: string | undefined): Promise<string> => {
    if (raw === undefined) throw new CondError('unexpected argument to conditional');
    return expandString(raw, ctx);
  };
  const primary = async (): Promise<boolean> => {
    if (isOp('(')) {
      pos++;
      const v = await or();
      if (!isOp(')')) throw new CondError("expected `)'");
      pos++;
      return v;
    }
    const first = items[pos++];
    if (!first) throw new CondError('unexpected end of conditional expression');
    const next = peek();
    const binOp = next?.op === '<' || next?.op === '>' ? next.op : next?.word !== undefined && /^(==|=|!=|=~|-eq|-ne|-lt|-le|-gt|-ge|-nt|-ot|-ef)$/.test(next.word) ? next.word : undefined;
    if (first.word !== undefined && binOp) {
      pos++;
      const rightItem = items[pos++];
      const left = await word(first.word);
      if (binOp === '==' || binOp === '=' || binOp === '!=') {
        const pattern = await expandPattern(rightItem?.word ?? '', ctx);
        const m = matchPattern(pattern, left);
        return binOp === '!=' ? !m : m;
      }
      if (binOp === '=~') {
        const src = await word(rightItem?.word);
        let re: RegExp;
        try {
          re = new RegExp(src);
        } catch {
          return false;
        }
        const m = re.exec(left);
        setVar('BASH_REMATCH', m ? m[0] : '');
        return !!m;
      }
      const right = await word(rightItem?.word);
      if (binOp === '<') return left < right;
      if (binOp === '>') return left > right;
      try {
        return evalTest([left, binOp, right], fs, cwd) === 0;
      } catch (e) {
        if (e instanceof TestSyntaxError) throw new CondError(e.message);
        throw e;
      }
    }
    if (first.word !== undefined && /^-[a-zA-Z]$/.test(first.word) && next?.word !== undefined) {
      pos++;
      const arg = await word(next.word);
      try {
        return evalTest([first.word, arg], fs, cwd) === 0;
      } catch (e) {
        if (e instanceof TestSyntaxError) throw new CondError(e.message);
        throw e;
      }
    }
    if (first.word === undefined) throw new CondError(`syntax error in conditional expression: unexpected token \`${first.op}'`);
    return (await word(first.word)) !== '';
  };

  const v = await or();
  if (pos < items.length) throw new CondError(`syntax error in conditional expression`);
  return v;
}
