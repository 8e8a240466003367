package dev.dripline.engines;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * ElasticMQ with its queues and messages kept in an H2 database file (ElasticMQ's own
 * {@code messages-storage}: every send, receive and delete is written through before SQS
 * answers), so that a local runtime killed with SIGKILL finds its queued work again.
 *
 * <p>On start, before ElasticMQ reads the file, messages that were received but not deleted
 * (in flight when the process died) are made visible again: their consumer is gone, and
 * waiting out the visibility timeout would only delay them.
 */
final class PersistentQueues {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentQueues.class);

    private final ActorSystem system;
    private final SQSRestServer server;

    private PersistentQueues(ActorSystem system, SQSRestServer server) {
        this.system = system;
        this.server = server;
    }

    static PersistentQueues start(File dir) {
        dir.mkdirs();
        // WRITE_DELAY=0: each statement is in the file when it returns (a killed JVM keeps the OS's copy).
        String url = "jdbc:h2:file:" + new File(dir, "elasticmq").getAbsolutePath() + ";WRITE_DELAY=0";
        int released = releaseInFlight(url);
        if (released > 0) {
            LOG.info("{} queue messages in flight when the runtime stopped are visible again", released);
        }
        usePool(url);
        ActorSystem system = ActorSystem.create("elasticmq");
        SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", url, "", "", false);
        ActorRef store = system.actorOf(Props.create(SqlQueuePersistenceActor.class, config, scala.collection.immutable.Nil$.MODULE$));
        ActorRef queues = system.actorOf(Props.create(QueueManagerActor.class, new NowProvider(), SQSRestServerBuilder.sqsLimits(),
                Option.apply(store)));
        SQSRestServer server = SQSRestServerBuilder.withActorSystem(system).withQueueManagerActor(queues).withQueueEventListener(store)
                .withInterface("127.0.0.1").withDynamicPort().start();
        server.waitUntilStarted();
        try {
            Object restored = Patterns.ask(store, new QueueEvent.Restore(queues), Duration.ofSeconds(30)).toCompletableFuture().get();
            if (restored instanceof scala.util.Left<?, ?> errors) {
                throw new IllegalStateException("ElasticMQ could not restore its queues from " + url + ": " + errors.value());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("ElasticMQ could not restore its queues from " + url, e.getCause());
        }
        return new PersistentQueues(system, server);
    }

    /**
     * ElasticMQ's SQL store opens scalikejdbc's default pool once per JVM and uses it ever after;
     * pointed here at this start's file, so that a runtime started again in the same JVM (tests)
     * on another directory does not write into the first one's. One persistent runtime per JVM at a time.
     */
    private static void usePool(String url) {
        try {
            Class.forName("org.h2.Driver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the H2 driver is not on the class path", e);
        }
        var pools = scalikejdbc.ConnectionPool$.MODULE$;
        var settings = pools.singleton$default$4();
        pools.singleton(url, "", "", settings, pools.singleton$default$5(url, "", "", settings));
    }

    /** Sets every received, undeleted message's next delivery to now; returns how many. */
    private static int releaseInFlight(String url) {
        long now = System.currentTimeMillis();
        int n = 0;
        try (Connection db = DriverManager.getConnection(url, "", "")) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = db.getMetaData().getTables(null, null, "MESSAGE_%", new String[] {"TABLE", "BASE TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            try (Statement s = db.createStatement()) {
                for (String table : tables) {
                    n += s.executeUpdate("UPDATE \"" + table + "\" SET next_delivery = " + now
                            + " WHERE next_delivery > " + now + " AND received IS NOT NULL AND receive_count > 0");
                }
            }
        } catch (SQLException e) {
            // ElasticMQ's table layout changed: the messages still come back, after their visibility timeout.
            LOG.warn("could not make in-flight queue messages visible at once: {}", e.toString());
        }
        return n;
    }

    SQSRestServer server() {
        return server;
    }

    void close() {
        server.stopAndWait();
        system.terminate();
        try {
            scala.concurrent.Await.result(system.whenTerminated(), scala.concurrent.duration.Duration.create(10, "s"));
        } catch (Exception e) {
            LOG.warn("ElasticMQ's actor system did not stop: {}", e.toString());
        }
        // ElasticMQ's SQL store keeps one JDBC pool per JVM; a later start on the same file opens it again.
        scalikejdbc.ConnectionPool$.MODULE$.closeAll();
    }
}
