package sim.zk.script;

import sim.zk.tree.OpResult;

/** How a script run is printed: one or more lines per operation's result and per watch event. */
public interface ScriptFormat {
  String result(ScriptLine line, OpResult r);

  String event(ClientEvent e);
}
