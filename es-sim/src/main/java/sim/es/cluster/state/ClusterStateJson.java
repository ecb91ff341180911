package sim.es.cluster.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/**
 * The cluster state's on-disk form (Elasticsearch persists it too: PersistedClusterStateService, a Lucene
 * index in the node's data path): JSON of the records, with the node's current term beside it.
 */
public final class ClusterStateJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.IS_GETTER, com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
      .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.GETTER, com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
      .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD, com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY)
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** What a master-eligible node persists before it votes or accepts: its term and last accepted state. */
  public record Persisted(long currentTerm, ClusterState lastAcceptedState) {}

  private ClusterStateJson() {}

  public static byte[] encode(Persisted p) {
    try {
      return MAPPER.writeValueAsBytes(p);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cluster state cannot be written: " + e.getMessage(), e);
    }
  }

  /** Decodes, or throws IllegalArgumentException naming what is wrong. */
  public static Persisted decode(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, Persisted.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("corrupt cluster state (" + new String(bytes, 0, Math.min(40, bytes.length), StandardCharsets.UTF_8) + "…): "
          + e.getMessage(), e);
    }
  }
}
