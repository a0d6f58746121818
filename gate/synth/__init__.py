"""ChangeSpec -> infrastructure code (CloudFormation, Terraform), one module per AWS service."""
