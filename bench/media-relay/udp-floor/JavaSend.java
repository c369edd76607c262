import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * send.c's measurement through the JDK, as the relay sends (MediaSocket: one DatagramChannel, a
 * direct buffer per thread, a send per datagram): the thread's CPU per datagram over three rounds,
 * the first one warming up.
 *
 * <pre>java JavaSend.java &lt;ip&gt; &lt;first-port&gt; &lt;ports&gt; &lt;count&gt;</pre>
 */
public class JavaSend {
    public static void main(String[] args) throws Exception {
        int first = Integer.parseInt(args[1]);
        int ports = Integer.parseInt(args[2]);
        long count = Long.parseLong(args[3]);
        InetSocketAddress[] to = new InetSocketAddress[ports];
        for (int i = 0; i < ports; i++) {
            to[i] = new InetSocketAddress(args[0], first + i);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ByteBuffer direct = ByteBuffer.allocateDirect(2048);
            byte[] payload = new byte[1200];
            for (int round = 1; round <= 3; round++) {
                long cpu = threads.getCurrentThreadCpuTime();
                long user = threads.getCurrentThreadUserTime();
                long start = System.nanoTime();
                long sent = 0;
                while (sent < count) {
                    if (channel.send(direct.clear().put(payload).flip(), to[(int) (sent % ports)]) > 0) {
                        sent++;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / sent;
                double userMicros = (threads.getCurrentThreadUserTime() - user) / 1e3 / sent;
                System.out.printf("%-9s %8d datagrams in %.2f s: CPU per datagram %.2f us (user %.2f, system %.2f), "
                        + "%.0f datagrams/s (round %d of 3)%n", "jdk", sent, seconds, cpuMicros, userMicros,
                        cpuMicros - userMicros, sent / seconds, round);
            }
        }
    }
}
