package sim.es.index;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import sim.es.analysis.Analyzer;
import sim.es.analysis.Analyzers;

/**
 * An index's mapping, grown by Elasticsearch's dynamic mapping rules: a JSON string becomes {@code text}
 * (standard analyzer) with a {@code .keyword} sub-field (keyword, {@code ignore_above} 256), unless it looks
 * like a date ({@code date_detection}: {@code strict_date_optional_time}), then {@code date}; a JSON integer
 * becomes {@code long}, a JSON fraction {@code float}, a boolean {@code boolean}. Objects flatten to dotted
 * names. The first value seen fixes a field's type, as in Elasticsearch.
 */
public final class Mapping {
  public static final int KEYWORD_IGNORE_ABOVE = 256;

  private final Map<String, FieldType> fields = new TreeMap<>();

  public FieldType type(String field) {
    return fields.get(field);
  }

  public Map<String, FieldType> fields() {
    return Collections.unmodifiableMap(fields);
  }

  public Analyzer analyzer(String field) {
    return Analyzers.standard();
  }

  public void put(String field, FieldType type) {
    fields.putIfAbsent(field, type);
  }

  /** The type dynamic mapping gives a new field with this first value, or null for null and arrays of nothing. */
  public FieldType dynamicType(JsonNode value) {
    if (value.isTextual()) return looksLikeDate(value.asText()) ? FieldType.DATE : FieldType.TEXT;
    if (value.isIntegralNumber()) return FieldType.LONG;
    if (value.isNumber()) return FieldType.DOUBLE;
    if (value.isBoolean()) return FieldType.BOOLEAN;
    return null;
  }

  /** Epoch milliseconds of a date value, as {@code strict_date_optional_time} reads it. */
  public static long parseDate(String text) {
    try {
      if (text.length() == 10) return LocalDate.parse(text).toEpochDay() * 86_400_000L;
      String withZone = text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$") ? text : text + "Z";
      return OffsetDateTime.parse(withZone).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("failed to parse date field [" + text + "] with format [strict_date_optional_time||epoch_millis]");
    }
  }

  static boolean looksLikeDate(String text) {
    if (!text.matches("\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?")) return false;
    try {
      parseDate(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
