import { describe, expect, it } from 'vitest';
import { parse } from '../../../src-main/runtime/shell/parser';
import { evalArith } from '../../../src-main/runtime/shell/arith';
import { advance, settle, sh, start } from './harness';

describe('shell parser', () => {
  it('builds and-or lists, pipelines, compound commands and redirections', () => {
    const ast = parse("a=1 echo hi >out 2>&1 && ! grep x | wc -l; if true; then :; fi &");
    expect(ast.items).toHaveLength(2);
    const first = ast.items[0]!.node;
    expect(first.first.commands[0]).toEqual({
      t: 'simple',
      line: 1,
      assigns: ['a=1'],
      words: ['echo', 'hi'],
      redirs: [
        { fd: 1, op: '>', target: 'out' },
        { fd: 2, op: '>&', target: '1' },
      ],
    });
    expect(first.rest[0]!.op).toBe('&&');
    expect(first.rest[0]!.pipeline.negate).toBe(true);
    expect(first.rest[0]!.pipeline.commands).toHaveLength(2);
    expect(ast.items[1]!.background).toBe(true);
    expect(ast.items[1]!.node.first.commands[0]!.t).toBe('if');
  });

  it('keeps quoted words raw for expansion', () => {
    const ast = parse(`echo "a b" 'c;d' $(echo ")") \${x:-y}`);
    expect((ast.items[0]!.node.first.commands[0] as { words: string[] }).words).toEqual(['echo', '"a b"', "'c;d'", '$(echo ")")', '${x:-y}']);
  });

  it('reads here-documents', () => {
    const ast = parse('cat <<EOF\nline $x\nEOF\necho after');
    const cmd = ast.items[0]!.node.first.commands[0] as { redirs: { heredoc?: { body: string } }[] };
    expect(cmd.redirs[0]!.heredoc!.body).toBe('line $x\n');
    expect(ast.items).toHaveLength(2);
  });
});

describe('shell arithmetic', () => {
  const vars = new Map<string, string>([['x', '7']]);
  const io = { get: (n: string) => vars.get(n), set: (n: string, v: string) => void vars.set(n, v) };
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['x % 4', 3],
    ['x > 5 && x < 10', 1],
    ['2 ** 10', 1024],
    ['x == 7 ? 10 : 20', 10],
    ['-x + 1', -6],
    ['0x10 + 010', 24],
    ['7 / 2', 3],
    ['1 << 4 | 1', 17],
  ])('%s = %d', (expr, value) => {
    expect(evalArith(expr, io)).toBe(value);
  });
  it('assigns', () => {
    expect(evalArith('y = x += 3', io)).toBe(10);
    expect(vars.get('x')).toBe('10');
    expect(vars.get('y')).toBe('10');
  });
});

describe('busybox sh scripts', () => {
  it.each([
    ['echo hello world', 'hello world\n', 0],
    ['x=5; echo "$x" ${x} $((x * 2))', '5 5 10\n', 0],
    ['a="one  two"; printf "[%s]" $a; echo; printf "[%s]" "$a"; echo', '[one][two]\n[one  two]\n', 0],
    ['echo ${unset:-default} ${unset-d2} "${empty:+alt}" ${#HOSTNAME} ${HOSTNAME:+set}', 'default d2  5 set\n', 0],
    ['f=/a/b/c.tar.gz; echo ${f##*/} ${f%.*} ${f%%.*} ${f#/a}', 'c.tar.gz /a/b/c.tar /a/b/c /b/c.tar.gz\n', 0],
    ['echo $(echo inner) `echo back`', 'inner back\n', 0],
    ['echo "$(echo "nested \\"q\\"")"', 'nested "q"\n', 0],
    ["echo 'single $x' \"double \\$x\"", 'single $x double $x\n', 0],
    ['if [ 1 -lt 2 ]; then echo yes; else echo no; fi', 'yes\n', 0],
    ['if false; then echo a; elif test -n "x"; then echo b; fi', 'b\n', 0],
    ['i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done', '0\n1\n2\n', 0],
    ['i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo $i', '2\n', 0],
    ['for w in a b "c d"; do echo "<$w>"; done', '<a>\n<b>\n<c d>\n', 0],
    ['for i in 1 2 3 4; do [ $i = 3 ] && break; echo $i; done', '1\n2\n', 0],
    ['for i in 1 2 3; do [ $i = 2 ] && continue; echo $i; done', '1\n3\n', 0],
    ['case "$HOSTNAME" in my*) echo mine;; *) echo other;; esac', 'mine\n', 0],
    ['case x.txt in *.log|*.txt) echo text;; esac', 'text\n', 0],
    ['greet() { echo "hi $1 ($#)"; return 3; }; greet bob x; echo $?', 'hi bob (2)\n3\n', 0],
    ['f() { local v=inner; echo $v; }; v=outer; f; echo $v', 'inner\nouter\n', 0],
    ['true && echo and; false || echo or; false && echo never; echo $?', 'and\nor\n1\n', 0],
    ['! false; echo $?', '0\n', 0],
    ['echo one; echo two | tr a-z A-Z; echo three', 'one\nTWO\nthree\n', 0],
    ['printf "a\\nb\\nc\\n" | grep -v b | wc -l', '2\n', 0],
    ['seq 1 5 | head -n 2; seq 3 | tail -n 1', '1\n2\n3\n', 0],
    ['echo hello | sed "s/l/L/g"', 'heLLo\n', 0],
    ['echo "b a c" | tr " " "\\n" | sort | tr "\\n" ,; echo', 'a,b,c,\n', 0],
    ['set -- x y z; echo $# $2 "$@"; shift; echo $1', '3 y x y z\ny\n', 0],
    ['echo "$0"', 'sh\n', 0],
    ['printf "%5s|%-3d|%03d|%x\\n" ab 7 5 255', '   ab|7  |005|ff\n', 0],
    ['x=abc; echo ${x/b/B} ${#x}', 'aBc 3\n', 0],
    ['exit 3', '', 3],
    ['false', '', 1],
    ['(exit 4); echo $?', '4\n', 0],
    ['(x=1; exit 2) ; echo "x=$x"', 'x=\n', 0],
    ['echo out; echo err >&2', 'out\n', 0],
    ['cat <<EOF\nhost=$HOSTNAME\nEOF', 'host=mypod\n', 0],
    ["cat <<'EOF'\nliteral $HOSTNAME\nEOF", 'literal $HOSTNAME\n', 0],
    ['eval "echo evaluated"', 'evaluated\n', 0],
    ['set -e; echo before; false; echo after', 'before\n', 1],
    ['set -e; false || true; if false; then :; fi; echo survived', 'survived\n', 0],
    ['read a b <<EOF\none two three\nEOF\necho "$a|$b"', 'one|two three\n', 0],
    ['echo a b c | while read x y; do echo "$y"; done', 'b c\n', 0],
    ['echo $((10 / 3)) $((10 % 3)) $((-7 / 2))', '3 1 -3\n', 0],
  ])('%s', async (script, out, code) => {
    const r = await sh(script);
    expect(r.out).toBe(out);
    expect(r.code).toBe(code);
  });

  it('files: redirects, >>, cat, ls, mkdir, rm, test', async () => {
    const r = await sh(
      'cd /tmp && echo one > f && echo two >> f && cat f && mkdir -p d/e && touch d/e/x && ls d/e && [ -f f ] && [ -d d ] && rm -r d && ls; rm f; ls -a; echo $PWD',
    );
    expect(r.out).toBe('one\ntwo\nx\nf\n.\n..\n/tmp\n');
    expect(r.code).toBe(0);
  });

  it('2>&1 sends stderr into a pipe; 2>/dev/null drops it', async () => {
    const r = await sh('ls /nope 2>&1 | sed "s/^/got: /"; ls /nope 2>/dev/null; echo $?');
    expect(r.out).toBe('got: ls: /nope: No such file or directory\n1\n');
    expect(r.err).toBe('');
  });

  it('globs over the container filesystem', async () => {
    const r = await sh('cd /tmp; touch a.txt b.txt c.log; echo *.txt; echo "*.txt"; echo *.none');
    expect(r.out).toBe('a.txt b.txt\n*.txt\n*.none\n');
  });

  it('reports unknown commands like busybox ash (127)', async () => {
    const r = await sh('nosuch arg; echo $?');
    expect(r.err).toBe('sh: nosuch: not found\n');
    expect(r.out).toBe('127\n');
  });

  it('reports syntax errors like ash (exit 2)', async () => {
    const r = await sh('if true; then echo x');
    expect(r.err).toBe('sh: syntax error: unexpected end of file (expecting "fi")\n');
    expect(r.code).toBe(2);
    const r2 = await sh('echo a; fi');
    expect(r2.err).toBe('sh: syntax error: unexpected "fi"\n');
    expect(r2.code).toBe(2);
    expect(r2.out).toBe('');
  });

  it('dash and bash word their errors their own way', async () => {
    expect((await sh('nosuch', 'debian')).err).toBe('sh: 1: nosuch: not found\n');
    const b = await start('debian', { command: ['bash', '-c', 'nosuch'] });
    await settle();
    expect(b.err.join('')).toBe('bash: line 1: nosuch: command not found\n');
    expect((await b.exit()).exitCode).toBe(127);
  });

  it('dash and bash name the line of the failing command', async () => {
    expect((await sh('echo a\n\nnosuch', 'debian')).err).toBe('sh: 3: nosuch: not found\n');
    const b = start('debian', { command: ['bash', '-c', 'true\nif true; then\n  missing\nfi'] });
    await b.exit();
    expect(b.err.join('')).toBe('bash: line 3: missing: command not found\n');
  });

  it('dash echo interprets escapes, busybox echo needs -e', async () => {
    expect((await sh('echo "a\\tb"; echo -e "c\\td"')).out).toBe('a\\tb\nc\td\n');
    expect((await sh('echo "a\\tb"', 'debian')).out).toBe('a\tb\n');
  });

  it('the EXIT trap runs on exit with $? of the exit', async () => {
    const r = await sh('trap \'echo "bye $?"\' EXIT; echo work; exit 5');
    expect(r.out).toBe('work\nbye 5\n');
    expect(r.code).toBe(5);
  });

  it('env, printenv, hostname, date, uname, id, ps', async () => {
    const r = await sh('FOO=bar env | grep FOO; printenv HOME; hostname; date; date +%Y-%m-%dT%H:%M:%S; whoami; ps', 'busybox', {
      env: [{ name: 'X', value: '1' }],
    });
    expect(r.out).toBe(
      'FOO=bar\n/root\nmypod\nMon Nov 23 10:00:00 UTC 2026\n2026-11-23T10:00:00\nroot\nPID   USER     TIME  COMMAND\n    1 root      0:00 sh -c FOO=bar env | grep FOO; printenv HOME; hostname; date; date +%Y-%m-%dT%H:%M:%S; whoami; ps\n    9 root      0:00 ps\n',
    );
  });
});

describe('streaming, sleep and kill', () => {
  it('prints tick once per second of cluster time, as produced', async () => {
    const c = start('busybox', { command: ['sh', '-c', 'while true; do echo tick; sleep 1; done'] });
    await settle();
    expect(c.out).toEqual(['tick\n']);
    await advance(c.clock, 999, 333);
    expect(c.out).toEqual(['tick\n']);
    await advance(c.clock, 1, 1);
    expect(c.out).toEqual(['tick\n', 'tick\n']);
    await advance(c.clock, 3000, 500);
    expect(c.out).toHaveLength(5);
    c.proc.signal('SIGKILL');
    expect(await c.exit()).toEqual({ exitCode: 137, reason: 'Error', signal: 'SIGKILL' });
    expect(c.clock.pending()).toBe(0);
    await advance(c.clock, 5000, 1000);
    expect(c.out).toHaveLength(5);
  });

  it('echo hello; sleep 3600 prints then waits for the clock', async () => {
    const c = start('busybox', { command: ['sh', '-c', 'echo hello; sleep 3600'] });
    let done = false;
    void c.exit().then(() => (done = true));
    await settle();
    expect(c.text()).toBe('hello\n');
    c.clock.advance(3_599_000);
    await settle();
    expect(done).toBe(false);
    c.clock.advance(1000);
    await settle();
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
  });

  it('a busy loop without sleep still yields and dies on SIGKILL', async () => {
    const c = start('busybox', { command: ['sh', '-c', 'i=0; while :; do i=$((i+1)); done'] });
    await settle(20);
    c.proc.signal('SIGKILL');
    expect((await c.exit()).exitCode).toBe(137);
    expect(c.proc.usage!().memoryBytes).toBe(0);
  });

  it('a pipe stage stops when its reader is gone (head)', async () => {
    const r = await sh('yes | head -n 3; echo done');
    expect(r.out).toBe('y\ny\ny\ndone\n');
  });

  it('background jobs and wait', async () => {
    const r = await sh('(sleep 2; echo late) & echo early; wait; echo after');
    expect(r.out).toBe('early\nlate\nafter\n');
  });
});

describe('files the kubelet provides and tail -f', () => {
  it('/etc/hostname, /etc/hosts and /etc/resolv.conf', async () => {
    const r = await sh('cat /etc/hostname /etc/hosts /etc/resolv.conf');
    expect(r.out).toBe(
      'mypod\n# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\nsearch default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
  });

  it('tail -f follows what a background loop appends (the logging sidecar pattern)', async () => {
    const c = start('busybox', { command: ['sh', '-c', 'i=0; while true; do echo "$i: line" >> /tmp/1.log; i=$((i+1)); sleep 1; done & sleep 0.5; tail -n+1 -f /tmp/1.log'] });
    await settle();
    await advance(c.clock, 3000, 250);
    expect(c.text()).toBe('0: line\n1: line\n2: line\n');
    c.proc.signal('SIGKILL');
    expect((await c.exit()).exitCode).toBe(137);
  });
});

describe('more shell semantics', () => {
  it('set -o pipefail, $RANDOM range, $PPID of PID 1', async () => {
    const r = await sh('false | true; echo $?; set -o pipefail; false | true; echo $?; [ $RANDOM -lt 32768 ] && echo rnd; echo $PPID');
    expect(r.out).toBe('0\n1\nrnd\n0\n');
  });

  it("trap '' TERM ignores the signal without interrupting wait", async () => {
    const c = start('busybox', { command: ['sh', '-c', "trap '' TERM; sleep 2 & wait; echo waited $?"] });
    await settle();
    c.proc.signal('SIGTERM');
    await settle();
    expect(c.text()).toBe('');
    await advance(c.clock, 2000, 500);
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('waited 0\n');
  });

  it('exec replaces the shell: same pid, traps gone', async () => {
    const c = start('busybox', { command: ['sh', '-c', "trap 'echo trapped' TERM; exec sleep 5"] });
    await settle();
    c.proc.signal('SIGTERM');
    await advance(c.clock, 5000, 1000);
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('');
  });
});

describe('resource guards', () => {
  it('a writer into a pipe nobody reads waits at 64 KiB instead of filling memory', async () => {
    const c = start('busybox', { command: ['sh', '-c', 'yes | sleep 5; echo done'] });
    await settle(50);
    expect(c.proc.usage!().memoryBytes).toBeLessThan(10_000_000);
    await advance(c.clock, 5000, 1000);
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('done\n');
  });

  it('a shell loop writing into a full pipe waits too', async () => {
    const c = start('busybox', { command: ['sh', '-c', 'while true; do echo spam; done | sleep 2; echo over'] });
    await settle(50);
    await advance(c.clock, 2000, 500);
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe('over\n');
  });

  it('endless recursion ends like a segfault (139)', async () => {
    const r = await sh('f() { f; }; f');
    expect(r.code).toBe(139);
  });

});

describe('errors the way busybox words them', () => {
  it.each([
    ['echo $((1/0))', '', 'sh: divide by zero\n', 2],
    ['exit abc', '', 'sh: exit: Illegal number: abc\n', 2],
    ['echo ${x:?custom msg}; echo after', '', 'sh: x: custom msg\n', 2],
    ['cd /nope', '', "sh: cd: can't cd to /nope: No such file or directory\n", 1],
    ['head -n x </dev/null', '', "head: invalid number 'x'\n", 1],
    ['cat /nope', '', "cat: can't open '/nope': No such file or directory\n", 1],
    ['echo > /nope/x', '', "sh: can't create /nope/x: nonexistent directory\n", 2],
    ['sleep x', '', "sleep: invalid number 'x'\n", 1],
    ['a=1; a+=2', '', 'sh: a+=2: not found\n', 127],
    ['cut -d: -f1 /etc/passwd | head -3', 'root\ndaemon\nbin\n', '', 0],
    ['env -i FOO=1 env', 'FOO=1\n', '', 0],
  ])('%s', async (script, out, err, code) => {
    const r = await sh(script);
    expect([r.out, r.err, r.code]).toEqual([out, err, code]);
  });
});

describe('bash brace expansion', () => {
  it.each([
    ['echo {a,b,c}', 'a b c\n'],
    ['echo x{1..3}y', 'x1y x2y x3y\n'],
    ['for i in {5..1..2}; do echo -n $i; done; echo', '531\n'],
    ['echo {01..03} {a..c}', '01 02 03 a b c\n'],
    ['echo {a,b}{1,2}', 'a1 a2 b1 b2\n'],
    ['echo "{a,b}" \'{1..2}\' {single}', '{a,b} {1..2} {single}\n'],
  ])('%s', async (script, out) => {
    const c = start('ubuntu', { command: ['bash', '-c', script] });
    await c.exit();
    expect(c.text()).toBe(out);
  });

  it('is not done by ash', async () => {
    expect((await sh('echo {a,b}')).out).toBe('{a,b}\n');
  });
});

describe('[[ ]]', () => {
  it.each([
    ['x="a b"; [[ $x == "a b" ]] && echo eq', 'eq\n'],
    ['f=app.log; [[ $f == *.log && -n $f ]] && echo log', 'log\n'],
    ['[[ "*.log" == *.log ]] && echo pat; [[ abc == "a*" ]] || echo literal', 'pat\nliteral\n'],
    ['[[ 10 -gt 9 ]] && echo num; [[ 10 > 9 ]] || echo str', 'num\nstr\n'],
    ['v=release-1.2; [[ $v =~ [0-9]+\\.[0-9]+ ]] && echo "$BASH_REMATCH"', '1.2\n'],
    ['[[ ! -d /nope || -f /etc/hostname ]] && echo ok', 'ok\n'],
    ['[[ -z "" && ( 1 -eq 2 || a != b ) ]] && echo grouped', 'grouped\n'],
    ['if [[ -e /etc/os-release ]]; then echo has; fi', 'has\n'],
  ])('bash: %s', async (script, out) => {
    const c = start('ubuntu', { command: ['bash', '-c', script] });
    await c.exit();
    expect(c.text()).toBe(out);
  });

  it('busybox ash has it too; dash does not', async () => {
    expect((await sh('[[ a == a ]] && echo yes')).out).toBe('yes\n');
    const d = await sh('[[ a == a ]] && echo yes', 'debian');
    expect(d.err).toBe('sh: 1: [[: not found\n');
    expect(d.code).toBe(127);
  });
});

describe('control flow at the edges', () => {
  it.each([
    ['break; echo after', 'after\n', 0],
    ['for i in 1 2; do for j in a b; do echo $i$j; break 5; done; done; echo out', '1a\nout\n', 0],
    ['return 4; echo never', '', 4],
    ['f() { return 2; }; f; echo $?', '2\n', 0],
  ])('%s', async (script, out, code) => {
    const r = await sh(script);
    expect([r.out, r.code]).toEqual([out, code]);
  });
});
