package dev.parley.bench.forwarding;

import io.smallrye.config.WithDefault;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;

/**
 * A relay configuration mapping (a SmallRye {@code @ConfigMapping} interface) answering every key
 * with its {@code @WithDefault}, as the relay runs when nothing is configured; the benchmark builds
 * the relay's objects without the CDI container that would read them.
 */
final class ConfigDefaults {

    private ConfigDefaults() {
    }

    static <T> T of(Class<T> mapping) {
        Object proxy = Proxy.newProxyInstance(mapping.getClassLoader(), new Class<?>[] {mapping},
                (self, method, args) -> switch (method.getName()) {
                    case "toString" -> mapping.getSimpleName() + " defaults";
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    default -> value(method);
                });
        return mapping.cast(proxy);
    }

    private static Object value(Method method) {
        Class<?> type = method.getReturnType();
        WithDefault annotation = method.getAnnotation(WithDefault.class);
        if (annotation == null) {
            if (type == Optional.class) {
                return Optional.empty();
            }
            if (type.isInterface()) {
                return of(type);
            }
            throw new IllegalStateException(method + " has no default");
        }
        String text = annotation.value();
        if (type == int.class) {
            return Integer.parseInt(text);
        } else if (type == long.class) {
            return Long.parseLong(text);
        } else if (type == double.class) {
            return Double.parseDouble(text);
        } else if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        } else if (type == Duration.class) {
            return Duration.parse("PT" + text.toUpperCase());
        } else if (type == String.class) {
            return text;
        }
        throw new IllegalStateException(method + ": a default of type " + type + " is not supported");
    }
}
