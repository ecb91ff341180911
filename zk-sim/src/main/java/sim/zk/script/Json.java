package sim.zk.script;

/** A minimal JSON object writer: keys in insertion order, strings escaped. */
final class Json {
  private final StringBuilder b = new StringBuilder("{");
  private boolean first = true;

  Json field(String key, String value) {
    return raw(key, value == null ? "null" : quote(value));
  }

  Json field(String key, long value) {
    return raw(key, Long.toString(value));
  }

  Json raw(String key, String json) {
    if (!first) b.append(',');
    first = false;
    b.append(quote(key)).append(':').append(json);
    return this;
  }

  @Override
  public String toString() {
    return b + "}";
  }

  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) q.append(String.format("\\u%04x", (int) c)); else q.append(c);
        }
      }
    }
    return q.append('"').toString();
  }
}
