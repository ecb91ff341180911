package sim.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import sim.core.Simulation;
import sim.lab.diagram.HtmlDiagram;
import sim.lab.diagram.Recording;

/**
 * {@code --html FILE} of {@code ./sim run} and {@code html FILE} of {@code ./sim step}: records the run's events
 * and its nodes' state summaries, then writes the space-time diagram as one self-contained HTML file.
 */
final class HtmlOutput {
  private final Recording recording = new Recording();

  /** Listens from the first event on: pass it with the run's listeners, before setup. */
  Recording recording() {
    return recording;
  }

  /** Reads node states from the simulation from now on (after setup, before the first event). */
  void attach(Simulation sim) {
    recording.attach(sim);
  }

  /** Writes the diagram; {@code footer} holds what the trace file's footer would (result, sim_ns, …). */
  void write(Path file, RunPlan plan, long events, String traceHash, Map<String, Object> more, PrintStream out) {
    recording.finish();
    Map<String, Object> footer = new LinkedHashMap<>();
    footer.put("events", events);
    footer.put("trace_hash", traceHash);
    footer.putAll(more);
    try {
      HtmlDiagram.write(file, plan.scenario().name() + " seed " + plan.options().seed(), plan.traceHeader(), footer,
          plan.nodes(), recording);
    } catch (IOException e) {
      throw new Main.UsageError("cannot write the diagram to " + file + ": " + e);
    }
    out.println("diagram: " + file + " (" + events + " events; open it in a browser)");
  }
}
