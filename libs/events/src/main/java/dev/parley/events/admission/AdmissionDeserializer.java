package dev.parley.events.admission;

import dev.parley.events.kafka.JsonEventDeserializer;

/** Kafka value deserializer for {@link dev.parley.events.Topic#ADMISSIONS}. */
public class AdmissionDeserializer extends JsonEventDeserializer<Admission> {

    public AdmissionDeserializer() {
        super(Admission.class);
    }
}
