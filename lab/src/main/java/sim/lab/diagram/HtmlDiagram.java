package sim.lab.diagram;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import sim.core.trace.TraceEvent;

/**
 * Writes the space-time diagram of a run as one self-contained HTML file: the page, its stylesheet and its
 * script (hand-written, no library, nothing fetched from the network) and the run's data in a JSON script
 * element. Open it in any browser, offline.
 */
public final class HtmlDiagram {
  private static final String DATA = "/*@DATA*/";
  private static final String CSS = "/*@CSS*/";
  private static final String JS = "/*@JS*/";

  private HtmlDiagram() {}

  /** Writes {@code file}; {@code title} names the run in the tab ("kafka.failover-leader-crash seed 1"). */
  public static void write(Path file, String title, Map<String, Object> header, Map<String, Object> footer, List<String> nodes,
      Recording recording) throws IOException {
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
      write(out, title, header, footer, nodes, recording.events(), recording);
    }
  }

  public static void write(Writer out, String title, Map<String, Object> header, Map<String, Object> footer, List<String> nodes,
      List<TraceEvent> events, Recording states) throws IOException {
    String page = resource("diagram.html")
        .replace("@TITLE", escape(title))
        .replace(CSS, resource("diagram.css"))
        .replace(JS, resource("diagram.js") + "\n" + resource("diagram-page.js"));
    int at = page.indexOf(DATA);
    if (at < 0) throw new IllegalStateException("diagram.html has no data slot " + DATA);
    out.write(page, 0, at);
    DiagramJson.write(new NoClose(out), header, footer, nodes, events, states);
    out.write(page, at + DATA.length(), page.length() - at - DATA.length());
  }

  /** A resource of this module's page assets, as text. */
  public static String resource(String name) {
    try (InputStream in = HtmlDiagram.class.getResourceAsStream("/sim/lab/" + name)) {
      if (in == null) throw new IllegalStateException("missing page asset /sim/lab/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** The JSON generator closes what it writes to; the page goes on after the data. */
  private static final class NoClose extends Writer {
    private final Writer out;

    NoClose(Writer out) {
      this.out = out;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      out.write(buf, off, len);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
      out.write(s, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
