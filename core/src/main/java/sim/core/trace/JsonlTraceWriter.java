package sim.core.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Writes each trace event as one JSON object per line: {"i":..,"t_ns":..,"node":..,"kind":..,"detail":..}. */
public final class JsonlTraceWriter implements TraceListener, AutoCloseable {
  private final JsonGenerator json;

  public JsonlTraceWriter(OutputStream out) {
    try {
      this.json = new JsonFactory().createGenerator(out);
      json.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onEvent(TraceEvent e) {
    try {
      json.writeStartObject();
      json.writeNumberField("i", e.index());
      json.writeNumberField("t_ns", e.timeNanos());
      json.writeStringField("node", e.node());
      json.writeStringField("kind", e.kind());
      json.writeStringField("detail", e.detail());
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException("writing the trace", ex);
    }
  }

  @Override
  public void close() {
    try {
      json.flush();
      json.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
