package io.vlsuite.deployment;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses rendered manifests into fabric8's typed Kubernetes model and rejects unknown fields.
 * <p>
 * fabric8's model classes swallow unknown fields into {@code additionalProperties} (a Jackson any-setter), so
 * Jackson's FAIL_ON_UNKNOWN_PROPERTIES never fires for them; instead every parsed object graph is walked and any
 * non-empty {@code additionalProperties} is reported with its path. That catches misspelled or misplaced keys
 * (e.g. {@code readinessProbe} one level too deep) that the API server would reject or silently drop.
 */
final class StrictKubernetesParser {

    /** Kinds that have no fabric8 model class here (CRDs); they parse as {@link GenericKubernetesResource}. */
    static final Set<String> CUSTOM_KINDS = Set.of("ScaledObject");

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    HasMetadata parse(String document) {
        Object parsed = serialization.unmarshal(document);
        if (!(parsed instanceof HasMetadata resource)) {
            throw new AssertionError("not a Kubernetes object: " + document);
        }
        String kind = resource.getKind();
        if (resource instanceof GenericKubernetesResource) {
            if (!CUSTOM_KINDS.contains(kind)) {
                throw new AssertionError(resource.getApiVersion() + "/" + kind
                        + " has no typed model: wrong apiVersion or kind? (" + resource.getMetadata().getName() + ")");
            }
            return resource;
        }
        List<String> unknown = new ArrayList<>();
        collectUnknownFields(resource, kind + "/" + resource.getMetadata().getName(), unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError("unknown fields: " + unknown);
        }
        return resource;
    }

    private static void collectUnknownFields(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectUnknownFields(v, path + "[" + k + "]", unknown));
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = invoke(m, node);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + " " + extra.keySet());
                }
                continue;
            }
            collectUnknownFields(value, path + "." + property(m.getName()), unknown);
        }
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + m, e);
        }
    }

    private static String property(String getter) {
        return Character.toLowerCase(getter.charAt(3)) + getter.substring(4);
    }
}
