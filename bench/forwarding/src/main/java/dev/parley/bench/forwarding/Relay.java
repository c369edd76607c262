package dev.parley.bench.forwarding;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Reaches the relay's package-private constructors and methods, which only its CDI container and
 * its own packages call: the benchmark wires the real forwarding objects by hand, once, outside
 * the measured code.
 */
final class Relay {

    private Relay() {
    }

    /**
     * A new {@code type} from its constructor with the most parameters, each given the first of
     * {@code beans} of its type, as the container injects by type; a parameter no bean fits gets
     * {@code null}: something the forwarding path does not touch (the DTLS endpoints, the event
     * log, the heartbeat). Wiring by type keeps the benchmark working when a constructor gains a
     * parameter. The new object joins {@code beans}.
     */
    static <T> T wire(Class<T> type, List<Object> beans) {
        Constructor<?> widest = null;
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (widest == null || constructor.getParameterCount() > widest.getParameterCount()) {
                widest = constructor;
            }
        }
        Class<?>[] parameters = widest.getParameterTypes();
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            for (Object bean : beans) {
                if (parameters[i].isInstance(bean)) {
                    args[i] = bean;
                    break;
                }
            }
        }
        try {
            widest.setAccessible(true);
            T made = type.cast(widest.newInstance(args));
            beans.add(made);
            return made;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getSimpleName(), e);
        }
    }

    /** Calls {@code target}'s (or, with a class, the static) method {@code name}. */
    static Object call(Object target, String name, Object... args) {
        Class<?> type = target instanceof Class<?> c ? c : target.getClass();
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                try {
                    method.setAccessible(true);
                    return method.invoke(target instanceof Class<?> ? null : target, args);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot call " + type.getSimpleName() + "." + name, e);
                }
            }
        }
        throw new IllegalStateException(type.getSimpleName() + "." + name + " not found: adapt the benchmark");
    }
}
