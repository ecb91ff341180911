package sim.lab.diagram;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.core.trace.TraceEvent;

/**
 * The run as the page reads it: one JSON object with the events in columns (times, node indexes, kind indexes,
 * details, message ids…) rather than one object per event, so 100,000 events stay a few megabytes and parse in
 * a blink. Names (nodes, kinds, message types) are tables the columns index into.
 *
 * <pre>{"header":{…}, "footer":{…}, "nodes":[…], "kinds":[…], "types":[…],
 *  "ev":{"i":[…], "t":[…], "n":[…], "k":[…], "d":[…], "m":[…], "f":[…], "o":[…], "y":[…], "a":{"17":{…}}},
 *  "states":[…], "snaps":{"b1":[[firstEventOfStep, stateIndex], …]}}</pre>
 *
 * A node index of -1 is the kernel ("sim"); a message id, from, to or type of -1 means the event is no
 * message. The output is safe inside an HTML {@code <script>} element: {@code <}, {@code >} and {@code &} are
 * written as {@code \\u003c} escapes.
 */
public final class DiagramJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final HtmlSafe ESCAPES = new HtmlSafe();

  private DiagramJson() {}

  /** Writes the whole run. {@code header} and {@code footer} are the trace file's header and footer fields. */
  public static void write(Writer out, Map<String, Object> header, Map<String, Object> footer, List<String> nodes,
      List<TraceEvent> events, Recording states) throws IOException {
    try (JsonGenerator g = generator(out)) {
      g.writeStartObject();
      g.writeFieldName("header");
      writeValue(g, header);
      g.writeFieldName("footer");
      writeValue(g, footer);
      g.writeFieldName("nodes");
      writeValue(g, nodes);
      writeEvents(g, nodes, events, 0);
      g.writeFieldName("states");
      writeValue(g, states == null ? List.of() : states.states());
      g.writeObjectFieldStart("snaps");
      if (states != null) {
        for (Map.Entry<String, List<long[]>> e : states.snapshots().entrySet()) {
          g.writeArrayFieldStart(e.getKey());
          for (long[] s : e.getValue()) {
            g.writeStartArray();
            g.writeNumber(s[0]);
            g.writeNumber(s[1]);
            g.writeEndArray();
          }
          g.writeEndArray();
        }
      }
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  /** Just the events from {@code from} on, in the same columns (and their own name tables): the live lab's updates. */
  public static void writeEvents(Writer out, List<String> nodes, List<TraceEvent> events, int from) throws IOException {
    try (JsonGenerator g = generator(out)) {
      g.writeStartObject();
      writeEvents(g, nodes, events, from);
      g.writeEndObject();
    }
  }

  private static void writeEvents(JsonGenerator g, List<String> nodes, List<TraceEvent> all, int from) throws IOException {
    List<TraceEvent> events = all.subList(from, all.size());
    Map<String, Integer> nodeIndex = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) nodeIndex.put(nodes.get(i), i);
    Names kinds = new Names();
    Names types = new Names();
    int n = events.size();
    int[] node = new int[n];
    int[] kind = new int[n];
    int[] type = new int[n];
    for (int j = 0; j < n; j++) {
      TraceEvent e = events.get(j);
      node[j] = nodeIndex.getOrDefault(e.node(), -1);
      kind[j] = kinds.id(e.kind());
      type[j] = e.isMessage() ? types.id(e.messageType()) : -1;
    }
    g.writeFieldName("kinds");
    writeValue(g, kinds.list);
    g.writeFieldName("types");
    writeValue(g, types.list);
    g.writeObjectFieldStart("ev");
    g.writeArrayFieldStart("i");
    for (TraceEvent e : events) g.writeNumber(e.index());
    g.writeEndArray();
    g.writeArrayFieldStart("t");
    for (TraceEvent e : events) g.writeNumber(e.timeNanos());
    g.writeEndArray();
    ints(g, "n", node);
    ints(g, "k", kind);
    g.writeArrayFieldStart("d");
    for (TraceEvent e : events) g.writeString(e.detail());
    g.writeEndArray();
    g.writeArrayFieldStart("m");
    for (TraceEvent e : events) g.writeNumber(e.messageId());
    g.writeEndArray();
    g.writeArrayFieldStart("f");
    for (TraceEvent e : events) g.writeNumber(e.isMessage() ? nodeIndex.getOrDefault(e.from(), -1) : -1);
    g.writeEndArray();
    g.writeArrayFieldStart("o");
    for (TraceEvent e : events) g.writeNumber(e.isMessage() ? nodeIndex.getOrDefault(e.to(), -1) : -1);
    g.writeEndArray();
    ints(g, "y", type);
    g.writeObjectFieldStart("a");
    for (TraceEvent e : events) {
      if (e.attributes().isEmpty()) continue;
      g.writeObjectFieldStart(Long.toString(e.index()));
      List<Object> a = e.attributes();
      for (int i = 0; i + 1 < a.size(); i += 2) {
        g.writeFieldName(String.valueOf(a.get(i)));
        writeValue(g, a.get(i + 1));
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static JsonGenerator generator(Writer out) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(out);
    g.setCharacterEscapes(ESCAPES);
    return g;
  }

  private static void ints(JsonGenerator g, String name, int[] values) throws IOException {
    g.writeFieldName(name);
    g.writeArray(values, 0, values.length);
  }

  /** Strings, numbers, booleans, lists and maps (header fields, attribute values). */
  static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number num) {
      g.writeNumber(num.doubleValue());
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Iterable<?> it) {
      g.writeStartArray();
      for (Object o : it) writeValue(g, o);
      g.writeEndArray();
    } else {
      g.writeString(String.valueOf(v));
    }
  }

  /** A name table: each distinct name once, in the order first seen. */
  private static final class Names {
    final List<String> list = new ArrayList<>();
    final Map<String, Integer> ids = new HashMap<>();

    int id(String name) {
      return ids.computeIfAbsent(name, k -> {
        list.add(k);
        return list.size() - 1;
      });
    }
  }

  /** Escapes what could end a script element or start markup, and the two line separators JavaScript once refused. */
  private static final class HtmlSafe extends CharacterEscapes {
    private final int[] table;

    HtmlSafe() {
      table = standardAsciiEscapesForJSON();
      table['<'] = ESCAPE_STANDARD;
      table['>'] = ESCAPE_STANDARD;
      table['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return table;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028) return new SerializedString("\\u2028");
      if (ch == 0x2029) return new SerializedString("\\u2029");
      return null;
    }
  }
}
