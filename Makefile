# image-builder: make targets over the Swift orchestrator. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.SUFFIXES:

# The Swift toolchain goes first on PATH: Debian's OpenStack client installs another `swift`.
SWIFT_TOOLCHAIN_BIN ?= $(firstword $(wildcard /opt/swift/usr/bin) $(dir $(shell command -v swiftc 2>/dev/null)))
export PATH := $(SWIFT_TOOLCHAIN_BIN):$(PATH)

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
export IB_ROOT := $(ROOT)

# The CLI: $(IB_BIN) when set (tests pass the binary they built: a `swift build` inside
# `swift test` would wait forever on SwiftPM's lock), else a release build made when missing
# or stale.
IB_RELEASE := $(ROOT)/.build/release/image-builder
ifeq ($(strip $(IB_BIN)),)
IB := $(IB_RELEASE)
IB_DEP := $(IB_RELEASE)
else
IB := $(IB_BIN)
IB_DEP :=
endif
SWIFT_SOURCES := $(shell find $(ROOT)/Sources -name '*.swift' 2>/dev/null)

$(IB_RELEASE): $(ROOT)/Package.swift $(SWIFT_SOURCES)
	@sh $(ROOT)/hack/build-deps.sh
	cd $(ROOT) && swift build -c release --product image-builder --static-swift-stdlib
	@touch $@

# image-builder's variables mean the same whether set in the environment or as make
# arguments (the reference drops some when PACKER_FLAGS is a make argument; not here).
IB_VARIABLES := PACKER_VAR_FILES PACKER_FLAGS PACKER_BIN PACKER_COLOR ON_ERROR_ASK FOREGROUND DEBUG \
	SSH_PRIVATE_KEY_FILE SSH_PUBLIC_KEY_FILE SSH_PASSWORD VSPHERE_PASSWORD IB_VERSION \
	IB_OVFTOOL IB_OVFTOOL_ARGS OVF_CUSTOM_PROPERTIES RHSM_USER RHSM_PASS OS_CLOUD PUBLISH_FLAGS \
	ESXI_ISO ESXI_ISO_CHECKSUM ESXI_RELEASE ESXI_ROOT_PASSWORD IB_ACCELERATOR MAAS_URL MAAS_API_KEY \
	ONE_XMLRPC ONE_AUTH ONE_CA_FILE IB_STALL_TIMEOUT IB_STALL_TIMEOUT_IP IB_STALL_TIMEOUT_SSH IB_STALL_TIMEOUT_WINRM \
	IB_STALL_TIMEOUT_SHUTDOWN IB_OVA_MANIFEST
$(foreach v,$(IB_VARIABLES),$(if $(filter command line,$(origin $(v))),$(eval export $(v))))

# VAR_FILES_<os>=FILE: a var file for one OS only (the CLI's --var-file OS=FILE).
OS_NAMES := $(basename $(notdir $(wildcard $(ROOT)/images/*.json)))
$(foreach os,$(OS_NAMES),$(if $(VAR_FILES_$(os)),$(eval export VAR_FILES_$(subst -,_,$(os)) := $(VAR_FILES_$(os)))))

TARGETS := $(shell sh $(ROOT)/hack/list-targets.sh --names)
BUILD_TARGETS := $(filter build-%,$(TARGETS))
VALIDATE_TARGETS := $(filter validate-%,$(TARGETS))
CLEAN_TARGETS := $(filter clean-%,$(TARGETS))
# Publishing to OpenStack Glance: one target per OS (what its builds left in output/) and -all.
PUBLISH_TARGETS := $(addprefix publish-node-ova-openstack-,$(OS_NAMES) all)
# OpenNebula: the VMDK folder, tarball and templates of what the builds left (ONE_DATASTORE to publish).
ONE_EXPORT_TARGETS := $(addprefix export-node-ova-opennebula-,$(OS_NAMES) all)
ONE_PUBLISH_TARGETS := $(addprefix publish-node-ova-opennebula-,$(OS_NAMES) all)
# The boot test of what a build left (its output folder's OVA), one OS at a time.
BOOT_TEST_TARGETS := $(patsubst build-%,boot-test-%,$(filter-out %-all,$(filter build-node-ova-%,$(BUILD_TARGETS))))
# The MAAS ESXi image (packer's qemu builder) and its upload to MAAS.
MAAS_TARGETS := build-maas-esxi validate-maas-esxi clean-maas-esxi publish-maas-esxi
.PHONY: $(TARGETS) $(BOOT_TEST_TARGETS) $(PUBLISH_TARGETS) $(MAAS_TARGETS) $(ONE_EXPORT_TARGETS) $(ONE_PUBLISH_TARGETS) help demo demo-all demo-real qemu-local-debian-12 test test-deps lint sim deps-ova bench-plan bench-parallel bench-ova

# The `+` hands make's jobserver to the orchestrator (parallel builds take tokens from it).
$(BUILD_TARGETS): $(IB_DEP)
	+$(IB) build $@
$(VALIDATE_TARGETS): $(IB_DEP)
	$(IB) validate $@
$(CLEAN_TARGETS): $(IB_DEP)
	$(IB) clean $@
# The `+`: publish -all takes jobserver tokens for the OVAs it uploads at once.
$(PUBLISH_TARGETS): $(IB_DEP)
	+$(IB) openstack publish $@ $(PUBLISH_FLAGS)
$(ONE_EXPORT_TARGETS): $(IB_DEP)
	$(IB) one export $@ $(ONE_FLAGS)
$(ONE_PUBLISH_TARGETS): $(IB_DEP)
	$(IB) one publish $@ --datastore "$(ONE_DATASTORE)" $(ONE_FLAGS)
$(BOOT_TEST_TARGETS): $(IB_DEP)
	$(IB) boot-test $(patsubst boot-test-%,build-%,$@) $(BOOT_TEST_FLAGS)
# The Debian 12 node under qemu from Debian's archive alone: hack/qemu-local.sh makes (once,
# cached by content; root for debootstrap) the base disk and the files the build serves its guest
# on loopback, and writes the var file naming them, first in PACKER_VAR_FILES (a user's files
# win). QEMU_LOCAL=no: your own base_image_url (or the installer ISO) and qemu_guest_files.
QEMU_LOCAL ?= yes
QEMU_LOCAL_VARS := $(ROOT)/output/qemu-local/debian-12.json
ifeq ($(QEMU_LOCAL),yes)
build-node-ova-qemu-debian-12 boot-test-node-ova-qemu-debian-12: qemu-local-debian-12
build-node-ova-qemu-debian-12 boot-test-node-ova-qemu-debian-12: override export PACKER_VAR_FILES := $(QEMU_LOCAL_VARS) $(PACKER_VAR_FILES)
endif
qemu-local-debian-12:
	@mkdir -p $(dir $(QEMU_LOCAL_VARS))
	@sh $(ROOT)/hack/qemu-local.sh $(QEMU_LOCAL_VARS)
build-maas-esxi: $(IB_DEP)
	$(IB) build maas-esxi
validate-maas-esxi: $(IB_DEP)
	$(IB) validate maas-esxi
clean-maas-esxi: $(IB_DEP)
	$(IB) clean maas-esxi
publish-maas-esxi: $(IB_DEP)
	$(IB) maas publish maas-esxi $(PUBLISH_FLAGS)
# Names that are not targets still reach the CLI, which suggests the closest ones (exit 2).
build-node-ova-%: $(IB_DEP)
	$(IB) build $@
validate-node-ova-%: $(IB_DEP)
	$(IB) validate $@
clean-node-ova-%: $(IB_DEP)
	$(IB) clean $@
publish-node-ova-openstack-%: $(IB_DEP)
	$(IB) openstack publish $@ $(PUBLISH_FLAGS)

help:
	@echo "Usage: make <target> [PACKER_VAR_FILES=\"a.json b.json\"] [VAR=value ...]"
	@echo "The CLI behind every target: $(IB) (image-builder --help lists commands, variables and exit codes)."
	@echo
	@echo "Targets:"
	@sh $(ROOT)/hack/list-targets.sh
	@echo
	@echo "MAAS (a custom VMware ESXi image; ESXI_ISO, ESXI_ISO_CHECKSUM=sha256:…, ESXI_ROOT_PASSWORD in the environment):"
	@printf '%-48s%s\n' \
		build-maas-esxi "output/esxi-<release>/esxi-<release>.dd.gz and .sha256 (packer's qemu builder)" \
		validate-maas-esxi "validate the MAAS ESXi packer config" \
		clean-maas-esxi "remove the MAAS ESXi output and work dirs" \
		publish-maas-esxi "upload the built image to MAAS as esxi/<release> (MAAS_URL, MAAS_API_KEY)"
	@echo
	@echo "Publishing (what the builds left in output/; OS_CLOUD or OS_* name the cloud):"
	@printf '%-48s%s\n' $(foreach t,$(PUBLISH_TARGETS),$(t) "publish to OpenStack Glance for Nova's VMware driver")
	@echo
	@echo "OpenNebula (ONE_XMLRPC, ONE_AUTH; ONE_DATASTORE=<id or name> to publish; ONE_FLAGS for more):"
	@printf '%-48s%s\n' $(foreach t,$(ONE_EXPORT_TARGETS),$(t) "opennebula/: VMDK folder, .tar.gz, image.one, vm.one")
	@printf '%-48s%s\n' $(foreach t,$(ONE_PUBLISH_TARGETS),$(t) "register the image and VM template (XML-RPC)")
	@echo
	@echo "Tools:"
	@printf '%-48s%s\n' \
		boot-test-node-ova-FAMILY-OS "boot what that build left under qemu and check it is a node (BOOT_TEST_FLAGS)" \
		demo "a vSphere build on the embedded simulator, verified, deployed and published" \
		demo-all "every OS (Windows too) in parallel on the simulator, then base and linked clone" \
		demo-real "the Debian node built under qemu for real, boot-tested, imported into the simulator" \
		test "run the whole test suite (lint first)" \
		lint "swift format lint (.swift-format) and no Swift file over 300 lines" \
		test-deps "install what the tests use (cloud-init, pykickstart, ansible-lint, Keystone + Glance, oauthlib, python-libmaas, pyone, the ESXi stand-in)" \
		sim "start the embedded vCenter simulator (image-builder sim start|stop|env)" \
		deps-ova "install or check packer, qemu-utils, ansible, xorriso" \
		bench-plan "time and peak memory of image-builder plan (goal P1)" \
		bench-parallel "every local-base build at once against one (goal P3); ISO bytes uploaded per run (goal P6)" \
		bench-ova "package a 1 GiB VMDK: against cp and the reference's passes, peak memory, streaming (goals P2, P2b)"

# The toolchain's formatter with the repository's .swift-format; files stay small.
lint:
	cd $(ROOT) && swift format lint --strict --recursive Sources Tests Package.swift
	@sh $(ROOT)/hack/check-file-sizes.sh 300 $(ROOT)/Sources $(ROOT)/Tests

# Suites that boot a guest under software emulation use both cores for minutes: they run after
# the rest, one after the other, so that no suite's time limits are measured on a starved machine.
ALONE_SUITES = BootTestTests|QemuBuildTests

# The suite installs (as root on Debian) or checks what it uses, so nothing is skipped for a
# missing tool; under CI=true a skipped test fails the run.
test: lint deps-ova test-deps
	@sh $(ROOT)/hack/build-deps.sh
	cd $(ROOT) && swift build --build-tests
	rm -rf $(ROOT)/.build/test-captures && mkdir -p $(ROOT)/.build/test-captures
	set -o pipefail; cd $(ROOT) && IB_BIN=$(ROOT)/.build/debug/image-builder IB_TEST_CAPTURES=$(ROOT)/.build/test-captures \
		swift test --skip-build --disable-xctest --skip '$(ALONE_SUITES)' 2>&1 | tee $(ROOT)/.build/test-captures/swift-test.log
	set -o pipefail; cd $(ROOT) && for suite in $(subst |, ,$(ALONE_SUITES)); do \
		IB_BIN=$(ROOT)/.build/debug/image-builder IB_TEST_CAPTURES=$(ROOT)/.build/test-captures \
		swift test --skip-build --disable-xctest --filter "$$suite" 2>&1 | tee -a $(ROOT)/.build/test-captures/swift-test.log || exit 1; done
	@sh $(ROOT)/hack/check-skips.sh $(ROOT)/.build/test-captures/swift-test.log
	@sh $(ROOT)/hack/scan-captures.sh $(ROOT)/.build/test-captures

deps-ova:
	@sh $(ROOT)/hack/deps-ova.sh

test-deps:
	@sh $(ROOT)/hack/test-deps.sh

bench-plan: $(IB_DEP)
	@sh $(ROOT)/hack/bench-plan.sh $(IB)

bench-parallel: $(IB_DEP)
	@sh $(ROOT)/hack/bench-parallel.sh $(IB)

bench-ova: $(IB_DEP)
	@sh $(ROOT)/hack/bench-ova.sh $(IB)

sim: $(IB_DEP)
	$(IB) sim start

# Without IB_BIN the demo prepares itself in parallel (hack/demo-prepare.sh): a debug build of
# the CLI while the Debian tools install and the simulator builds; then it runs on that build.
demo:
ifeq ($(strip $(IB_BIN)),)
	@sh $(ROOT)/hack/demo-prepare.sh
	@sh $(ROOT)/hack/demo.sh $(ROOT)/.build/demo/debug/image-builder
else
	@sh $(ROOT)/hack/demo.sh $(IB)
endif

demo-all: $(IB_DEP)
	@sh $(ROOT)/hack/demo-all.sh $(IB)
# A real guest: the Debian node built under qemu, boot-tested, and imported into the simulator.
demo-real: $(IB_DEP)
	@sh $(ROOT)/hack/demo-real.sh $(IB)
