package sim.es.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.es.index.FieldType;
import sim.es.index.Mapping;
import sim.es.index.Segment;

/**
 * Aggregations as Elasticsearch computes them: each shard aggregates its matching documents from doc values,
 * the coordinating node reduces the shard results. A {@code terms} aggregation asks each shard for its top
 * {@code shard_size} keys only ({@code size * 1.5 + 10}, or {@code size} on one shard), so a key can be missed
 * or undercounted: {@code doc_count_error_upper_bound} sums, over the shards that were cut off, the count of
 * their last returned bucket — the most any key could be missing from there.
 */
public final class Aggregations {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

  /** One matching document on one shard. */
  public record DocRef(Segment segment, int doc) {}

  private Aggregations() {}

  public static ObjectNode run(JsonNode spec, List<List<DocRef>> shards, Mapping mapping) {
    ObjectNode out = JSON.objectNode();
    Iterator<Map.Entry<String, JsonNode>> it = spec.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> agg = it.next();
      JsonNode def = agg.getValue();
      if (!def.isObject() || def.size() != 1) throw new QueryDsl.ParsingException("aggregation [" + agg.getKey() + "] must have exactly one type");
      Map.Entry<String, JsonNode> typed = def.fields().next();
      out.set(agg.getKey(), one(agg.getKey(), typed.getKey(), typed.getValue(), shards, mapping));
    }
    return out;
  }

  private static JsonNode one(String name, String type, JsonNode body, List<List<DocRef>> shards, Mapping mapping) {
    String field = body.path("field").asText(null);
    if (field == null) throw new QueryDsl.ParsingException("[" + type + "] aggregation [" + name + "] requires [field]");
    FieldType ft = mapping.type(field);
    if (ft == FieldType.TEXT) {
      throw new QueryDsl.ParsingException("Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [" + field + "]");
    }
    return switch (type) {
      case "terms" -> terms(body, field, ft, shards);
      case "histogram" -> histogram(body.path("interval").asDouble(0), body.path("offset").asDouble(0), field, shards, false, body);
      case "date_histogram" -> dateHistogram(body, field, shards);
      case "range" -> range(body, field, shards);
      case "min", "max", "avg", "sum", "value_count" -> metric(type, field, ft, shards);
      case "cardinality" -> cardinality(field, ft, shards);
      default -> throw new QueryDsl.ParsingException("Unknown aggregation type [" + type + "] did you mean [terms]?");
    };
  }

  private static List<Object> values(DocRef ref, String field, FieldType ft) {
    List<Object> out = new ArrayList<>();
    if (ft == FieldType.KEYWORD) {
      String[] v = ref.segment().keywordValues(field, ref.doc());
      if (v != null) out.addAll(List.of(v));
    } else if (ft != null) {
      double[] v = ref.segment().numericValues(field, ref.doc());
      if (v != null) for (double d : v) out.add(d);
    }
    return out;
  }

  private static JsonNode terms(JsonNode body, String field, FieldType ft, List<List<DocRef>> shards) {
    int size = body.path("size").asInt(10);
    int shardSize = body.has("shard_size") ? body.get("shard_size").asInt() : shards.size() == 1 ? size : (int) (size * 1.5 + 10);
    Comparator<Map.Entry<Object, Long>> order = (a, b) -> a.getValue().equals(b.getValue())
        ? compareKeys(a.getKey(), b.getKey()) : Long.compare(b.getValue(), a.getValue());
    Map<Object, Long> reduced = new TreeMap<>(Aggregations::compareKeys);
    long error = 0;
    long totalValues = 0;
    for (List<DocRef> shard : shards) {
      Map<Object, Long> counts = new TreeMap<>(Aggregations::compareKeys);
      for (DocRef ref : shard) for (Object v : values(ref, field, ft)) counts.merge(v, 1L, Long::sum);
      for (long c : counts.values()) totalValues += c;
      List<Map.Entry<Object, Long>> top = new ArrayList<>(counts.entrySet());
      top.sort(order);
      if (top.size() > shardSize) {
        error += top.get(shardSize - 1).getValue();
        top = top.subList(0, shardSize);
      }
      for (Map.Entry<Object, Long> e : top) reduced.merge(e.getKey(), e.getValue(), Long::sum);
    }
    List<Map.Entry<Object, Long>> all = new ArrayList<>(reduced.entrySet());
    all.sort(order);
    List<Map.Entry<Object, Long>> buckets = all.subList(0, Math.min(size, all.size()));
    long shown = 0;
    ArrayNode arr = JSON.arrayNode();
    for (Map.Entry<Object, Long> e : buckets) {
      shown += e.getValue();
      ObjectNode b = arr.addObject();
      putKey(b, e.getKey(), ft);
      b.put("doc_count", e.getValue());
    }
    ObjectNode out = JSON.objectNode();
    out.put("doc_count_error_upper_bound", error);
    out.put("sum_other_doc_count", totalValues - shown);
    out.set("buckets", arr);
    return out;
  }

  private static void putKey(ObjectNode b, Object key, FieldType ft) {
    if (key instanceof String s) b.put("key", s);
    else if (ft == FieldType.DOUBLE) b.put("key", (Double) key);
    else b.put("key", (long) (double) (Double) key);
    if (ft == FieldType.DATE) b.put("key_as_string", ISO.format(Instant.ofEpochMilli((long) (double) (Double) key).atOffset(ZoneOffset.UTC)));
  }

  private static int compareKeys(Object a, Object b) {
    if (a instanceof String x && b instanceof String y) return sim.es.index.Terms.compare(x, y);
    return Double.compare((Double) a, (Double) b);
  }

  private static JsonNode histogram(double interval, double offset, String field, List<List<DocRef>> shards, boolean dates, JsonNode body) {
    if (!(interval > 0)) throw new QueryDsl.ParsingException("[interval] must be >0 for histogram aggregation [" + field + "]");
    TreeMap<Double, Long> counts = new TreeMap<>();
    for (List<DocRef> shard : shards) {
      for (DocRef ref : shard) {
        double[] v = ref.segment().numericValues(field, ref.doc());
        if (v == null) continue;
        double last = Double.NaN;
        for (double d : v) {
          double key = Math.floor((d - offset) / interval) * interval + offset;
          if (key != last) counts.merge(key, 1L, Long::sum); // a doc counts once per bucket
          last = key;
        }
      }
    }
    return buckets(counts, interval, dates, body.path("min_doc_count").asLong(0));
  }

  private static ObjectNode buckets(TreeMap<Double, Long> counts, double interval, boolean dates, long minDocCount) {
    ArrayNode arr = JSON.arrayNode();
    if (!counts.isEmpty()) {
      for (double key = counts.firstKey(); key <= counts.lastKey(); key += interval) {
        long c = counts.getOrDefault(key, 0L);
        if (c < minDocCount) continue;
        ObjectNode b = arr.addObject();
        if (dates) {
          b.put("key_as_string", ISO.format(Instant.ofEpochMilli((long) key).atOffset(ZoneOffset.UTC)));
          b.put("key", (long) key);
        } else {
          b.put("key", key);
        }
        b.put("doc_count", c);
      }
    }
    ObjectNode out = JSON.objectNode();
    out.set("buckets", arr);
    return out;
  }

  private static JsonNode dateHistogram(JsonNode body, String field, List<List<DocRef>> shards) {
    String calendar = body.path("calendar_interval").asText(null);
    String fixed = body.path("fixed_interval").asText(null);
    if (fixed != null) return histogram(fixedMillis(fixed), 0, field, shards, true, body);
    if (calendar == null) throw new QueryDsl.ParsingException("Required one of fields [fixed_interval, calendar_interval], but none were specified.");
    String unit = switch (calendar) {
      case "1m", "minute" -> "minute";
      case "1h", "hour" -> "hour";
      case "1d", "day" -> "day";
      case "1w", "week" -> "week";
      case "1M", "month" -> "month";
      case "1y", "year" -> "year";
      default -> throw new QueryDsl.ParsingException("The supplied interval [" + calendar + "] could not be parsed as a calendar interval.");
    };
    if (!unit.equals("month") && !unit.equals("year")) {
      double ms = switch (unit) {
        case "minute" -> 60_000;
        case "hour" -> 3_600_000;
        case "day" -> 86_400_000;
        default -> 7 * 86_400_000.0;
      };
      double offset = unit.equals("week") ? 4 * 86_400_000.0 : 0; // weeks start on Monday; 1970-01-01 was a Thursday
      return histogram(ms, offset, field, shards, true, body);
    }
    TreeMap<Double, Long> counts = new TreeMap<>();
    for (List<DocRef> shard : shards) {
      for (DocRef ref : shard) {
        double[] v = ref.segment().numericValues(field, ref.doc());
        if (v == null) continue;
        for (double d : v) counts.merge((double) calendarFloor((long) d, unit), 1L, Long::sum);
      }
    }
    ArrayNode arr = JSON.arrayNode();
    if (!counts.isEmpty()) {
      ZonedDateTime at = Instant.ofEpochMilli(counts.firstKey().longValue()).atZone(ZoneOffset.UTC);
      while (at.toInstant().toEpochMilli() <= counts.lastKey()) {
        long key = at.toInstant().toEpochMilli();
        ObjectNode b = arr.addObject();
        b.put("key_as_string", ISO.format(at));
        b.put("key", key);
        b.put("doc_count", counts.getOrDefault((double) key, 0L));
        at = unit.equals("month") ? at.plusMonths(1) : at.plusYears(1);
      }
    }
    ObjectNode out = JSON.objectNode();
    out.set("buckets", arr);
    return out;
  }

  private static long calendarFloor(long ms, String unit) {
    ZonedDateTime t = Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC);
    ZonedDateTime f = unit.equals("month") ? t.withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC)
        : t.withDayOfYear(1).toLocalDate().atStartOfDay(ZoneOffset.UTC);
    return f.toInstant().toEpochMilli();
  }

  private static double fixedMillis(String s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(s);
    if (!m.matches()) throw new QueryDsl.ParsingException("failed to parse setting [date_histogram.fixedInterval] with value [" + s + "] as a time value");
    long n = Long.parseLong(m.group(1));
    return n * switch (m.group(2)) {
      case "ms" -> 1L;
      case "s" -> 1000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
  }

  private static JsonNode range(JsonNode body, String field, List<List<DocRef>> shards) {
    JsonNode ranges = body.get("ranges");
    if (ranges == null || !ranges.isArray()) throw new QueryDsl.ParsingException("No [ranges] specified for the [range] aggregation");
    ArrayNode arr = JSON.arrayNode();
    for (JsonNode r : ranges) {
      Double from = r.has("from") && !r.get("from").isNull() ? r.get("from").asDouble() : null;
      Double to = r.has("to") && !r.get("to").isNull() ? r.get("to").asDouble() : null;
      long count = 0;
      for (List<DocRef> shard : shards) {
        for (DocRef ref : shard) {
          double[] v = ref.segment().numericValues(field, ref.doc());
          if (v == null) continue;
          for (double d : v) {
            if ((from == null || d >= from) && (to == null || d < to)) {
              count++;
              break;
            }
          }
        }
      }
      ObjectNode b = arr.addObject();
      b.put("key", r.has("key") ? r.get("key").asText() : (from == null ? "*" : String.valueOf(from)) + "-" + (to == null ? "*" : String.valueOf(to)));
      if (from != null) b.put("from", from);
      if (to != null) b.put("to", to);
      b.put("doc_count", count);
    }
    ObjectNode out = JSON.objectNode();
    out.set("buckets", arr);
    return out;
  }

  private static JsonNode metric(String type, String field, FieldType ft, List<List<DocRef>> shards) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0; // Kahan-compensated, as Elasticsearch's CompensatedSum
    double compensation = 0;
    long count = 0;
    for (List<DocRef> shard : shards) {
      for (DocRef ref : shard) {
        for (Object o : values(ref, field, ft)) {
          count++;
          if (!(o instanceof Double d)) continue;
          min = Math.min(min, d);
          max = Math.max(max, d);
          double y = d - compensation;
          double t = sum + y;
          compensation = (t - sum) - y;
          sum = t;
        }
      }
    }
    ObjectNode out = JSON.objectNode();
    switch (type) {
      case "value_count" -> out.put("value", count);
      case "sum" -> out.put("value", sum);
      case "min" -> { if (count == 0) out.putNull("value"); else out.put("value", min); }
      case "max" -> { if (count == 0) out.putNull("value"); else out.put("value", max); }
      default -> { if (count == 0) out.putNull("value"); else out.put("value", sum / count); }
    }
    return out;
  }

  private static JsonNode cardinality(String field, FieldType ft, List<List<DocRef>> shards) {
    Cardinality total = new Cardinality();
    for (List<DocRef> shard : shards) {
      Cardinality c = new Cardinality();
      for (DocRef ref : shard) {
        for (Object o : values(ref, field, ft)) c.add(o instanceof String s ? Cardinality.hash(s) : Cardinality.hash((Double) o));
      }
      total.merge(c);
    }
    ObjectNode out = JSON.objectNode();
    out.put("value", total.value());
    return out;
  }
}
