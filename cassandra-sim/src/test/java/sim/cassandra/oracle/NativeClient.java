package sim.cassandra.oracle;

import com.datastax.driver.core.CodecRegistry;
import com.datastax.driver.core.DataType;
import com.datastax.driver.core.ProtocolVersion;
import com.datastax.driver.core.TypeCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.cassandra.script.StatementResult;

/**
 * A minimal CQL native protocol v4 client over one socket: STARTUP, then QUERY frames without values or
 * client timestamps (the server assigns write timestamps). It reads the server's own ERROR frames (code and
 * message, which the drivers rewrite in places) and formats each returned value with the Java driver's
 * {@code TypeCodec.format}, the CQL literal a learner would type.
 */
public final class NativeClient implements AutoCloseable {
  private static final int VERSION = 4;
  private static final Map<Integer, String> ERROR_CODES = Map.ofEntries(
      Map.entry(0x0000, "SERVER_ERROR"), Map.entry(0x000A, "PROTOCOL_ERROR"), Map.entry(0x0100, "BAD_CREDENTIALS"),
      Map.entry(0x1000, "UNAVAILABLE"), Map.entry(0x1001, "OVERLOADED"), Map.entry(0x1002, "IS_BOOTSTRAPPING"),
      Map.entry(0x1003, "TRUNCATE_ERROR"), Map.entry(0x1100, "WRITE_TIMEOUT"), Map.entry(0x1200, "READ_TIMEOUT"),
      Map.entry(0x1300, "READ_FAILURE"), Map.entry(0x1400, "FUNCTION_FAILURE"), Map.entry(0x1500, "WRITE_FAILURE"),
      Map.entry(0x1600, "CDC_WRITE_FAILURE"), Map.entry(0x1700, "CAS_WRITE_UNKNOWN"), Map.entry(0x2000, "SYNTAX_ERROR"),
      Map.entry(0x2100, "UNAUTHORIZED"), Map.entry(0x2200, "INVALID"), Map.entry(0x2300, "CONFIG_ERROR"),
      Map.entry(0x2400, "ALREADY_EXISTS"), Map.entry(0x2500, "UNPREPARED"));

  private final Socket socket;
  private final DataOutputStream out;
  private final DataInputStream in;

  public NativeClient(int port) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(60_000);
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
    ByteBuffer body = ByteBuffer.allocate(64);
    body.putShort((short) 1);
    putString(body, "CQL_VERSION");
    putString(body, "3.0.0");
    send(0x01, body);
    Frame f = receive();
    if (f.opcode != 0x02) throw new IOException("expected READY, got opcode " + f.opcode);
  }

  /** Runs one statement at {@code consistency} (the protocol's code) and returns what the server said. */
  public StatementResult query(String cql, int consistency, int serialConsistency) throws IOException {
    byte[] q = cql.getBytes(StandardCharsets.UTF_8);
    ByteBuffer body = ByteBuffer.allocate(q.length + 16);
    body.putInt(q.length).put(q).putShort((short) consistency);
    body.put((byte) 0x10).putShort((short) serialConsistency);
    send(0x07, body);
    Frame f = receive();
    ByteBuffer b = ByteBuffer.wrap(f.body);
    if (f.opcode == 0x00) {
      int code = b.getInt();
      String message = getString(b);
      return new StatementResult.Error(ERROR_CODES.getOrDefault(code, String.format("0x%04X", code)), message);
    }
    if (f.opcode != 0x08) throw new IOException("unexpected opcode " + f.opcode);
    int kind = b.getInt();
    if (kind != 0x0002) return new StatementResult.Ok();
    return rows(b);
  }

  private static StatementResult rows(ByteBuffer b) {
    int flags = b.getInt();
    int count = b.getInt();
    if ((flags & 0x0002) != 0) getBytes(b);
    boolean global = (flags & 0x0001) != 0;
    if (global) {
      getString(b);
      getString(b);
    }
    List<String> names = new ArrayList<>();
    List<TypeCodec<Object>> codecs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!global) {
        getString(b);
        getString(b);
      }
      names.add(getString(b));
      codecs.add(CodecRegistry.DEFAULT_INSTANCE.codecFor(type(b)));
    }
    int n = b.getInt();
    List<List<String>> rows = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      List<String> row = new ArrayList<>();
      for (int c = 0; c < count; c++) {
        ByteBuffer v = getBytes(b);
        row.add(v == null ? null : codecs.get(c).format(codecs.get(c).deserialize(v, ProtocolVersion.V4)));
      }
      rows.add(row);
    }
    return new StatementResult.Rows(names, rows);
  }

  private static DataType type(ByteBuffer b) {
    int id = b.getShort() & 0xffff;
    return switch (id) {
      case 0x0001 -> DataType.ascii();
      case 0x0002 -> DataType.bigint();
      case 0x0003 -> DataType.blob();
      case 0x0004 -> DataType.cboolean();
      case 0x0005 -> DataType.counter();
      case 0x0006 -> DataType.decimal();
      case 0x0007 -> DataType.cdouble();
      case 0x0008 -> DataType.cfloat();
      case 0x0009 -> DataType.cint();
      case 0x000B -> DataType.timestamp();
      case 0x000C -> DataType.uuid();
      case 0x000D -> DataType.varchar();
      case 0x000E -> DataType.varint();
      case 0x000F -> DataType.timeuuid();
      case 0x0010 -> DataType.inet();
      case 0x0011 -> DataType.date();
      case 0x0012 -> DataType.time();
      case 0x0013 -> DataType.smallint();
      case 0x0014 -> DataType.tinyint();
      case 0x0020 -> DataType.list(type(b));
      case 0x0021 -> {
        DataType k = type(b);
        yield DataType.map(k, type(b));
      }
      case 0x0022 -> DataType.set(type(b));
      default -> throw new IllegalStateException("type option 0x" + Integer.toHexString(id) + " not supported by this client");
    };
  }

  private record Frame(int opcode, byte[] body) {}

  private void send(int opcode, ByteBuffer body) throws IOException {
    body.flip();
    out.writeByte(VERSION);
    out.writeByte(0);
    out.writeShort(0);
    out.writeByte(opcode);
    out.writeInt(body.remaining());
    out.write(body.array(), 0, body.remaining());
    out.flush();
  }

  private Frame receive() throws IOException {
    in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    in.readShort();
    int opcode = in.readUnsignedByte();
    int length = in.readInt();
    byte[] body = new byte[length];
    in.readFully(body);
    if ((flags & 0x08) != 0) { // warnings: a string list before the body
      ByteBuffer b = ByteBuffer.wrap(body);
      int n = b.getShort();
      for (int i = 0; i < n; i++) getString(b);
      byte[] rest = new byte[b.remaining()];
      b.get(rest);
      body = rest;
    }
    return new Frame(opcode, body);
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] d = s.getBytes(StandardCharsets.UTF_8);
    b.putShort((short) d.length).put(d);
  }

  private static String getString(ByteBuffer b) {
    int n = b.getShort() & 0xffff;
    byte[] d = new byte[n];
    b.get(d);
    return new String(d, StandardCharsets.UTF_8);
  }

  private static ByteBuffer getBytes(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0) return null;
    ByteBuffer v = b.slice();
    v.limit(n);
    b.position(b.position() + n);
    return v;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
