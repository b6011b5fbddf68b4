# Plugins for packer >= 1.9 (`make deps-ova` runs `packer init` on it; packer 1.7 and newer
# understand this file). Debian's packer 1.6.6 bundles these builders and needs none of this.
packer {
  required_version = ">= 1.7.0"
  required_plugins {
    vsphere = {
      version = ">= 1.4.2"
      source  = "github.com/hashicorp/vsphere"
    }
    vmware = {
      version = ">= 1.1.0"
      source  = "github.com/hashicorp/vmware"
    }
    ansible = {
      version = ">= 1.1.2"
      source  = "github.com/hashicorp/ansible"
    }
  }
}
