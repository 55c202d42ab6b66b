#!/bin/sh
# The `acls` service of docker/compose.secure.yaml: each component's principal gets the ACLs of
# its role (weft acls --apply, as the broker's super user User:kafka). Creating an ACL that exists
# changes nothing, so running it again is harmless.
set -eu
# the command and --apply can be changed for a test outside the container
weft() { ${WEFT_COMMAND:-java -cp /weft/weft-cli.jar:/weft/lib/* io.weft.cli.Weft} "$@"; }
admin="--config ${WEFT_ADMIN_CONFIG:-/certs/admin.properties} ${WEFT_ACLS_APPLY---apply}"
weft acls --role coordinator --principal User:coordinator $admin
for type in batch-infer evaluate prepare-data promote-model register-model select-best train; do
  weft acls --role worker --task-type "$type" --principal User:worker $admin
done
# the model tasks register and promote models, batch-infer reads them
weft acls --role model-writer --principal User:worker $admin
weft acls --role inference --principal User:worker $admin
weft acls --role inference --principal User:inference $admin
weft acls --role client --principal User:client $admin
weft acls --role operator --principal User:client $admin
echo "acls: created"
