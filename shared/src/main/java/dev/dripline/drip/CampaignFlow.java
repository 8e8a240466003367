package dev.dripline.drip;

import dev.dripline.drip.CampaignDefinition.Step;
import dev.dripline.errors.FieldError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The checks of a campaign's step graph: every goto names a step, every step is reached, no loop runs without a wait. */
final class CampaignFlow {

    private CampaignFlow() {
    }

    /** Every goto names a step, and every step can be reached from the first. */
    static void check(List<Step> steps, List<FieldError> errors) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            index.putIfAbsent(steps.get(i).id(), i);
        }
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String at = "steps[" + i + "]";
            List<String> out = new ArrayList<>();
            for (int b = 0; b < s.branches().size(); b++) {
                out.add(target(s.branches().get(b).target(), at + ".branches[" + b + "].goto", index, errors));
            }
            out.add(target(s.onTimeout(), at + ".onTimeout", index, errors));
            out.add(target(s.otherwise(), at + (s.waitsForReply() ? ".onNoMatch" : ".else"), index, errors));
            out.add(target(s.next(), at + ".goto", index, errors));
            out.add(target(s.capture().map(ReplyCapture::onInvalid).orElse(null), at + ".onInvalid", index, errors));
            for (int p = 0; s.split().isPresent() && p < s.split().get().paths().size(); p++) {
                out.add(target(s.split().get().paths().get(p).target(), at + ".split[" + p + "].goto", index, errors));
            }
            boolean fallsThrough = !s.exit() && s.next() == null && s.split().isEmpty()
                    && !(s.waitsForReply() && s.onTimeout() != null && s.capture().isEmpty())
                    && !(!s.waitsForReply() && !s.branches().isEmpty() && s.otherwise() != null);
            if (fallsThrough && i + 1 < steps.size()) {
                out.add(steps.get(i + 1).id());
            }
            edges.put(s.id(), out.stream().filter(Objects::nonNull).toList());
        }
        if (steps.isEmpty()) {
            return;
        }
        Set<String> reached = new HashSet<>();
        java.util.ArrayDeque<String> todo = new ArrayDeque<>(List.of(steps.get(0).id()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (reached.add(id)) {
                todo.addAll(edges.getOrDefault(id, List.of()));
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            if (!reached.contains(steps.get(i).id())) {
                errors.add(new FieldError("steps[" + i + "]", "step '" + steps.get(i).id() + "' cannot be reached from the first step"));
            }
        }
        List<String> loop = loopWithoutWait(steps, edges);
        if (!loop.isEmpty()) {
            errors.add(new FieldError("steps[" + index.get(loop.get(0)) + "]", "steps " + String.join(" -> ", loop)
                    + " go round without a wait: a contact would run them for ever; give one of them a wait or waitForReply"));
        }
    }

    /**
     * A cycle among steps that neither wait nor wait for a reply (entering a step with a wait
     * is where time passes), as the step ids round it, first repeated at the end; empty if none.
     */
    private static List<String> loopWithoutWait(List<Step> steps, Map<String, List<String>> edges) {
        Set<String> instant = new HashSet<>();
        for (Step s : steps) {
            if (s.pause().isEmpty() && !s.waitsForReply()) {
                instant.add(s.id());
            }
        }
        Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
        for (Step s : steps) {
            if (instant.contains(s.id()) && !state.containsKey(s.id())) {
                List<String> path = new ArrayList<>();
                List<String> found = cycleFrom(s.id(), edges, instant, state, path);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        return List.of();
    }

    private static List<String> cycleFrom(String id, Map<String, List<String>> edges, Set<String> instant, Map<String, Integer> state,
                                          List<String> path) {
        state.put(id, 1);
        path.add(id);
        for (String next : edges.getOrDefault(id, List.of())) {
            if (!instant.contains(next)) {
                continue;
            }
            Integer seen = state.get(next);
            if (seen != null && seen == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                cycle.add(next);
                return cycle;
            }
            if (seen == null) {
                List<String> found = cycleFrom(next, edges, instant, state, path);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        state.put(id, 2);
        path.remove(path.size() - 1);
        return List.of();
    }

    private static String target(String id, String field, Map<String, Integer> index, List<FieldError> errors) {
        if (id == null) {
            return null;
        }
        if (!index.containsKey(id)) {
            errors.add(new FieldError(field, "names step '" + id + "', which does not exist (steps: "
                    + String.join(", ", index.keySet()) + ")"));
            return null;
        }
        return id;
    }

}
