package sim.es.index;

/**
 * The mapping types this model indexes, with Elasticsearch's index options: {@code text} is analysed and
 * indexed with frequencies and positions and has norms; {@code keyword} is one untouched term per value,
 * indexed with doc ids only, no norms, and has doc values; numbers, dates and booleans have doc values
 * (Lucene indexes them as points; this model answers their range and exists queries from doc values).
 */
public enum FieldType {
  TEXT, KEYWORD, LONG, DOUBLE, DATE, BOOLEAN;

  public boolean invertedIndex() {
    return this == TEXT || this == KEYWORD;
  }

  public boolean numeric() {
    return this == LONG || this == DOUBLE || this == DATE || this == BOOLEAN;
  }

  public String esName() {
    return switch (this) {
      case TEXT -> "text";
      case KEYWORD -> "keyword";
      case LONG -> "long";
      case DOUBLE -> "float";
      case DATE -> "date";
      case BOOLEAN -> "boolean";
    };
  }
}
