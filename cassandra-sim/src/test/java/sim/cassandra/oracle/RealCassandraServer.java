package sim.cassandra.oracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.cassandra.service.CassandraDaemon;

/**
 * A real Cassandra 5.0 node, embedded in a JVM of its own (Cassandra is built on static singletons and
 * calls System.exit on fatal errors, so it never shares the test's JVM). Listens on 127.0.0.1 only.
 * Arguments: a fresh directory, the native port, the storage port. Prints {@code READY} once CQL is served,
 * then runs until its standard input closes.
 */
public final class RealCassandraServer {
  private RealCassandraServer() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int nativePort = Integer.parseInt(args[1]);
    int storagePort = Integer.parseInt(args[2]);
    Path yaml = writeConfig(dir, nativePort, storagePort);
    Path logback = dir.resolve("logback.xml");
    Files.writeString(logback, "<configuration><root level=\"ERROR\"/></configuration>\n");
    System.setProperty("cassandra.config", yaml.toUri().toString());
    System.setProperty("logback.configurationFile", logback.toString());
    System.setProperty("cassandra-foreground", "yes");
    System.setProperty("cassandra.storagedir", dir.toString());
    System.setProperty("cassandra.skip_wait_for_gossip_to_settle", "0");
    System.setProperty("cassandra.ring_delay_ms", "0");
    System.setProperty("cassandra.superuser_setup_delay_ms", "0");
    System.setProperty("cassandra.native.epoll.enabled", "false");
    new CassandraDaemon(true).activate();
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // keep serving until the parent closes our stdin (or dies)
    }
    System.exit(0);
  }

  private static Path writeConfig(Path dir, int nativePort, int storagePort) throws IOException {
    String d = dir.toString();
    String yaml = """
        cluster_name: sim-oracle
        num_tokens: 1
        initial_token: 0
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        data_file_directories: [%1$s/data]
        commitlog_directory: %1$s/commitlog
        saved_caches_directory: %1$s/saved_caches
        hints_directory: %1$s/hints
        cdc_raw_directory: %1$s/cdc_raw
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "127.0.0.1:%3$d"
        listen_address: 127.0.0.1
        rpc_address: 127.0.0.1
        storage_port: %3$d
        native_transport_port: %2$d
        start_native_transport: true
        endpoint_snitch: SimpleSnitch
        auto_snapshot: false
        dynamic_snitch: false
        """.formatted(d, nativePort, storagePort);
    Path yamlFile = dir.resolve("cassandra.yaml");
    Files.writeString(yamlFile, yaml);
    return yamlFile;
  }
}
