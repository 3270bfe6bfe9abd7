"""Checks that may refuse an appointment. Higher apps (the exam engine) register theirs here."""

from collections.abc import Callable

# A gate takes the appointment and returns None (pass) or the reason it refuses.
AppointmentGate = Callable[[object], str | None]
_appointment_gates: list[AppointmentGate] = []


def register_appointment_gate(gate: AppointmentGate) -> AppointmentGate:
    if gate not in _appointment_gates:
        _appointment_gates.append(gate)
    return gate


def appointment_refusals(appointment) -> list[str]:
    return [reason for gate in _appointment_gates if (reason := gate(appointment))]
