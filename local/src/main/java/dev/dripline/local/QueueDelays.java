package dev.dripline.local;

import dev.dripline.json.Json;
import dev.dripline.schedule.Due;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The steps queue's delivery delays on the movable clock. The core uses them as on AWS (work
 * due within DRIPLINE_QUEUE_DELAY_UP_TO rides a delayed message, not a schedule; outbound
 * webhook retries wait on the queue), but ElasticMQ counts a delay in real time, which an
 * advance of the clock would not shorten. So a delayed message to the steps queue is held by
 * the stand-in scheduler until the movable clock reaches its time, then put on the queue.
 * Unlike a schedule it has no name the core knows, so it cannot be cancelled: as on AWS, the
 * work it carries finds itself stale.
 */
final class QueueDelays {

    private QueueDelays() {
    }

    /** {@code sqs}, with delayed sends to {@code stepsQueueUrl} handed to {@code scheduler}; every other call as it is. */
    static SqsClient onTheMovableClock(SqsClient sqs, String stepsQueueUrl, LocalScheduler scheduler, MovableClock clock) {
        return (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("sendMessage") && args != null && args.length == 1) {
                        SendMessageRequest request = args[0] instanceof SendMessageRequest r ? r
                                : SendMessageRequest.builder().applyMutation(builder(args[0])).build();
                        if (stepsQueueUrl.equals(request.queueUrl()) && request.delaySeconds() != null && request.delaySeconds() > 0) {
                            String name = "queue-delay-" + UUID.randomUUID();
                            scheduler.schedule(name, clock.instant().plus(Duration.ofSeconds(request.delaySeconds())),
                                    Json.read(request.messageBody(), Due.class));
                            return SendMessageResponse.builder().messageId(name).build();
                        }
                        args = new Object[] {request};
                        method = SqsClient.class.getMethod("sendMessage", SendMessageRequest.class);
                    }
                    try {
                        return method.invoke(sqs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private static Consumer<SendMessageRequest.Builder> builder(Object mutation) {
        return (Consumer<SendMessageRequest.Builder>) mutation;
    }
}
