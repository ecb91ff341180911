package sim.core.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes a run as JSON lines (schema: {@code core/src/main/resources/trace-schema.json}, described in
 * core/README.md): one header line {@code {"type":"header",...}}, one line per trace event
 * {@code {"type":"event","i":..,"t_ns":..,"node":..,"kind":..,"detail":..}} with the typed fields that apply
 * ({@code from}, {@code to}, {@code msg_type}, {@code msg_id} for messages; {@code attrs} for write-path
 * points), and one footer line {@code {"type":"footer","events":N,"trace_hash":..}}.
 */
public final class JsonlTraceWriter implements TraceListener, AutoCloseable {
  private final JsonGenerator json;
  private long events;

  public JsonlTraceWriter(OutputStream out) {
    try {
      this.json = new JsonFactory().createGenerator(out);
      json.setRootValueSeparator(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first line: what was run. Values are strings, numbers, booleans or lists of strings. */
  public void header(Map<String, ?> fields) {
    line("header", fields);
  }

  /** The last line: how many events and the trace hash the run ended with. */
  public void footer(String traceHash, Map<String, ?> more) {
    try {
      json.writeStartObject();
      json.writeStringField("type", "footer");
      json.writeNumberField("events", events);
      json.writeStringField("trace_hash", traceHash);
      for (Map.Entry<String, ?> e : more.entrySet()) writeValue(e.getKey(), e.getValue());
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException("writing the trace footer", ex);
    }
  }

  private void line(String type, Map<String, ?> fields) {
    try {
      json.writeStartObject();
      json.writeStringField("type", type);
      for (Map.Entry<String, ?> e : fields.entrySet()) writeValue(e.getKey(), e.getValue());
      json.writeEndObject();
      json.writeRaw('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException("writing the trace " + type, ex);
    }
  }

  @Override
  public void onEvent(TraceEvent e) {
    try {
      json.writeStartObject();
      json.writeStringField("type", "event");
      json.writeNumberField("i", e.index());
      json.writeNumberField("t_ns", e.timeNanos());
      json.writeStringField("node", e.node());
      json.writeStringField("kind", e.kind());
      json.writeStringField("detail", e.detail());
      if (e.isMessage()) {
        json.writeStringField("from", e.from());
        json.writeStringField("to", e.to());
        json.writeStringField("msg_type", e.messageType());
        json.writeNumberField("msg_id", e.messageId());
      }
      List<Object> attrs = e.attributes();
      if (!attrs.isEmpty()) {
        json.writeObjectFieldStart("attrs");
        for (int i = 0; i + 1 < attrs.size(); i += 2) writeValue(String.valueOf(attrs.get(i)), attrs.get(i + 1));
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeRaw('\n');
      events++;
    } catch (IOException ex) {
      throw new UncheckedIOException("writing the trace", ex);
    }
  }

  private void writeValue(String key, Object v) throws IOException {
    json.writeFieldName(key);
    if (v == null) {
      json.writeNull();
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      json.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      json.writeNumber(n.doubleValue());
    } else if (v instanceof Boolean b) {
      json.writeBoolean(b);
    } else if (v instanceof List<?> list) {
      json.writeStartArray();
      for (Object o : list) json.writeString(String.valueOf(o));
      json.writeEndArray();
    } else {
      json.writeString(String.valueOf(v));
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
