package sim.zk.script;

import java.util.ArrayList;
import java.util.List;
import sim.zk.tree.OpResult;

/** Runs parsed script lines on a backend and renders each result and watch event. */
public final class ScriptRunner {
  private ScriptRunner() {}

  /** One JSON line per result and per watch event ({@link OutputFormat}). */
  public static List<String> run(List<ScriptLine> script, ScriptBackend backend, boolean normalize) {
    return run(script, backend, new OutputFormat(normalize));
  }

  public static List<String> run(List<ScriptLine> script, ScriptBackend backend, ScriptFormat format) {
    List<String> out = new ArrayList<>();
    for (ScriptLine line : script) {
      OpResult r = backend.execute(line.client(), line.op());
      out.add(format.result(line, r));
      for (ClientEvent e : backend.drainEvents()) out.add(format.event(e));
    }
    return out;
  }
}
