package akhbar;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * One OpenSearch node of a local cluster, in this JVM (so that a test can kill it alone).
 *
 * <p>Arguments: node id (1..count), node count, first HTTP port, first transport port,
 * home folder of the cluster, cluster name. Node i listens on 127.0.0.1 at the i-th ports,
 * finds the others by their transport ports, and the first cluster forms from all of them.
 */
public final class ClusterNode {

    private ClusterNode() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ClusterNode ID COUNT HTTP_PORT TRANSPORT_PORT HOME CLUSTER_NAME");
            System.exit(2);
        }
        final int id = Integer.parseInt(args[0]);
        final int count = Integer.parseInt(args[1]);
        final int httpPort = Integer.parseInt(args[2]);
        final int transportPort = Integer.parseInt(args[3]);
        final String home = args[4];
        final String clusterName = args[5];

        final List<String> seeds = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            seeds.add("127.0.0.1:" + (transportPort + i - 1));
            names.add("akhbar-" + i);
        }

        final OpenSearchRunner runner = new OpenSearchRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final IOException e) {
                System.err.println("closing: " + e.getMessage());
            }
        }));
        runner.onBuild((index, settings) -> {
            settings.put("node.name", "akhbar-" + id);
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(httpPort + id - 1));
            settings.put("transport.port", String.valueOf(transportPort + id - 1));
            settings.putList("discovery.seed_hosts", seeds);
            settings.putList("cluster.initial_cluster_manager_nodes", names);
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            // a test machine's disk may be fuller than OpenSearch's watermarks allow
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("action.auto_create_index", "false");
            // the nodes run the serial collector (small heaps, two cores): their old generation holds
            // garbage until it fills, which the real-memory breaker counts as in use (it refused ANT's
            // searches at 441 of 512 MB, 82 MB once collected); the per-request breakers still apply
            settings.put("indices.breaker.total.use_real_memory", "false");
        });
        runner.build(new OpenSearchRunner.Configs()
                .basePath(home + "/node-" + id)
                .numOfNode(1)
                .clusterName(clusterName));
        System.out.println("akhbar-" + id + " started: http 127.0.0.1:" + (httpPort + id - 1));
        while (!runner.isClosed()) {
            Thread.sleep(1000);
        }
    }
}
