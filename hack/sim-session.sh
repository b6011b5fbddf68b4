# Sourced by the demos: sim_session IMAGE_BUILDER starts the embedded vCenter simulator afresh (a
# simulator left running keeps the VMs of earlier runs), stops it when the script ends or is
# interrupted, and points this shell at it (`image-builder sim env`).
sim_session() {
    sim_ib=$1
    "$sim_ib" sim stop >/dev/null 2>&1 || true
    "$sim_ib" sim start
    trap '"$sim_ib" sim stop >/dev/null 2>&1 || true' EXIT
    trap '"$sim_ib" sim stop >/dev/null 2>&1 || true; exit 130' INT TERM
    eval "$("$sim_ib" sim env)"
}
