package sim.zk.script;

import sim.zk.tree.Op;

/** One parsed script line: {@code c1: create /app "v1"} → client c1, a Create op, at line {@code lineNo}. */
public record ScriptLine(int lineNo, String client, Op op) {}
