# Build targets for `sam build` (template.yaml: Metadata BuildMethod: makefile).
#
# SAM runs `make -f <this file> build-<LogicalId>` once per function, one after another, with
# ARTIFACTS_DIR set to that function's directory under .aws-sam/build. Maven runs once, in the
# directory of this Makefile (the real checkout, also when SAM runs make from a scratch copy),
# for the four function modules together: the first target builds, the others find the stamp
# newer than every pom.xml and src/main file and only unpack their jar. The stamp sits in the
# root target/ directory, so `mvn clean` forgets it too.
#
# Each function's self-contained (shaded) jar is unpacked into ARTIFACTS_DIR: Lambda's Java
# runtime puts the package root (classes) and lib/*.jar on the class path.
#
#   MVN=./mvnw make build-SenderFunction ARTIFACTS_DIR=/tmp/out   (by hand)
#   MVN_ARGS=-o sam build                                          (Maven offline)

ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
MVN ?= mvn
MVN_ARGS ?=
VERSION := 0.1.0-SNAPSHOT
FUNCTIONS := api webhooks steps sender
STAMP := $(ROOT)/target/sam-build.stamp
LOCK := $(ROOT)/target/sam-build.lock
comma := ,
empty :=
space := $(empty) $(empty)
PROJECTS := $(subst $(space),$(comma),$(addprefix functions/,$(FUNCTIONS)))

# Everything that can change a function jar, directories included (a deleted file changes its
# directory's time). Prunes build output, SAM's output and VCS data.
SOURCES := $(shell find $(ROOT) \( -name target -o -name .aws-sam -o -name .git -o -name node_modules \) -prune \
             -o \( -name pom.xml -o -path '*/src/main*' \) -print 2>/dev/null)

jar = $(ROOT)/functions/$(1)/target/dripline-$(1)-$(VERSION)-lambda.jar

.PHONY: jars build-ApiFunction build-WebhooksFunction build-StepsFunction build-ImportsFunction build-SenderFunction

build-ApiFunction: jars
	$(call unpack,api)

build-WebhooksFunction: jars
	$(call unpack,webhooks)

build-StepsFunction: jars
	$(call unpack,steps)

# The imports consumer ships in the steps jar (dev.dripline.steps.ImportsHandler).
build-ImportsFunction: jars
	$(call unpack,steps)

build-SenderFunction: jars
	$(call unpack,sender)

# Serialised with flock where it exists, so that `sam build --parallel` still builds once.
jars:
	@mkdir -p $(ROOT)/target
	@$(if $(shell command -v flock 2>/dev/null),flock $(LOCK)) $(MAKE) --no-print-directory -f $(ROOT)/Makefile $(STAMP)

$(STAMP): $(SOURCES) $(ROOT)/Makefile
	cd $(ROOT) && $(MVN) -q -B -DskipTests $(MVN_ARGS) package -pl $(PROJECTS) -am
	@mkdir -p $(dir $@)
	@touch $@

define unpack
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 1; }
	@test -f "$(call jar,$(1))" || { echo "missing $(call jar,$(1))" >&2; exit 1; }
	@mkdir -p "$(ARTIFACTS_DIR)"
	cd "$(ARTIFACTS_DIR)" && if command -v unzip >/dev/null 2>&1; \
	  then unzip -q -o "$(call jar,$(1))" -x 'META-INF/maven/*'; \
	  else jar xf "$(call jar,$(1))"; fi
endef
