#!/usr/bin/env python3
"""The same publish as `image-builder one publish`, by pyone (OpenNebula's own Python client):
the datastore pool, the image pool, one.image.allocate of image.one into the datastore, polled
with one.image.info until READY, the template pool, one.template.allocate of vm.one.
Usage: pyone_publish.py EXPORT_DIR DATASTORE_ID   (ONE_XMLRPC, ONE_AUTH=user:password)
"""
import os
import sys
import time

import pyone

directory, datastore = sys.argv[1], int(sys.argv[2])
one = pyone.OneServer(os.environ["ONE_XMLRPC"], session=os.environ["ONE_AUTH"])
one.datastorepool.info()
one.imagepool.info(-2, -1, -1)
with open(os.path.join(directory, "image.one")) as f:
    image_id = one.image.allocate(f.read(), datastore)
while True:
    image = one.image.info(image_id)
    if image.STATE == 1:
        break
    if image.STATE == 5:
        sys.exit("ERROR: %s" % image.TEMPLATE.get("ERROR"))
    time.sleep(0.05)
one.templatepool.info(-2, -1, -1)
with open(os.path.join(directory, "vm.one")) as f:
    template_id = one.template.allocate(f.read())
print(image_id, template_id)
