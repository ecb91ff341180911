package sim.es.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document's {@code _source} parsed into field values by the mapping (growing it dynamically), ready for
 * the indexing buffer: each leaf field with its values in source order.
 */
public record ParsedDocument(String id, String source, Map<String, List<JsonNode>> values) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses {@code source} (a JSON object) and extends {@code mapping} with any new fields. */
  public static ParsedDocument parse(String id, String source, Mapping mapping) {
    JsonNode root;
    try {
      root = JSON.readTree(source);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("failed to parse _source of [" + id + "]: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) throw new IllegalArgumentException("_source of [" + id + "] must be a JSON object");
    Map<String, List<JsonNode>> values = new LinkedHashMap<>();
    flatten("", root, values);
    for (Map.Entry<String, List<JsonNode>> e : values.entrySet()) {
      if (mapping.type(e.getKey()) != null) continue;
      for (JsonNode v : e.getValue()) {
        FieldType t = mapping.dynamicType(v);
        if (t == null) continue;
        mapping.put(e.getKey(), t);
        if (t == FieldType.TEXT) mapping.put(e.getKey() + ".keyword", FieldType.KEYWORD);
        break;
      }
    }
    return new ParsedDocument(id, source, values);
  }

  private static void flatten(String prefix, JsonNode node, Map<String, List<JsonNode>> out) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = prefix + e.getKey();
      if (name.startsWith("_")) continue; // metadata fields (_id) are not source fields
      JsonNode v = e.getValue();
      if (v.isObject()) {
        flatten(name + ".", v, out);
      } else if (v.isArray()) {
        for (JsonNode item : v) {
          if (item.isObject()) flatten(name + ".", item, out);
          else if (!item.isNull()) out.computeIfAbsent(name, k -> new ArrayList<>()).add(item);
        }
      } else if (!v.isNull()) {
        out.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
      }
    }
  }
}
