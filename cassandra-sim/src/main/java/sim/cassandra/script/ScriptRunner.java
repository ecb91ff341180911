package sim.cassandra.script;

import java.util.ArrayList;
import java.util.List;

/** Runs a parsed script on a backend: one JSON line per statement, numbered from 1. */
public final class ScriptRunner {
  private ScriptRunner() {}

  public static List<String> run(List<ScriptLine> lines, ScriptBackend backend) {
    List<String> out = new ArrayList<>();
    ConsistencyLevel cl = ConsistencyLevel.ONE;
    ConsistencyLevel serial = ConsistencyLevel.SERIAL;
    int stmt = 0;
    for (ScriptLine l : lines) {
      switch (l.kind()) {
        case CONSISTENCY -> cl = l.level();
        case SERIAL_CONSISTENCY -> serial = l.level();
        case STATEMENT -> out.add(ScriptJson.line(++stmt, backend.execute(l.text(), cl, serial)));
      }
    }
    return out;
  }

  /** Without --json: the same line (one per statement), which is already readable; kept as the JSON. */
  public static String plain(String jsonLine) {
    return jsonLine;
  }
}
